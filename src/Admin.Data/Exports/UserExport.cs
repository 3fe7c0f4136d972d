using Admin.Data.Administration;

namespace Admin.Data.Exports;

/// <summary>
/// A realm's users as <see cref="UserCsv"/> ("user,hmackey"), for the portal's download and the JSON API. Refused
/// (<see cref="AdminOperationException"/>: another realm, unknown realm) before anything is written; the export is
/// audited ("user.export") when it starts, by <see cref="UserAdministration.ExportAsync"/>.
/// </summary>
public sealed class UserExport(UserAdministration users)
{
    public static string FileName(string realm) => $"users-{realm}.csv";

    public Task<CsvExport> StartAsync(AdminActor actor, string realm, CancellationToken cancellationToken) =>
        CsvExport.StartAsync(users.ExportAsync(actor, realm, cancellationToken), UserCsv.WriteAsync, cancellationToken);
}
