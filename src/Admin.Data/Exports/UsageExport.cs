using Admin.Data.Administration;
using Admin.Data.Usage;

namespace Admin.Data.Exports;

/// <summary>
/// Usage per user name and period as <see cref="UsageCsv"/>, over every resolution's rows (<see cref="UsageBilling.ExportAsync"/>).
/// A realm admin gets their realm only. Refusals (<see cref="AdminOperationException"/>: another realm, a bad range)
/// and an unreachable database throw before anything is written.
/// </summary>
public sealed class UsageExport(UsageBilling billing)
{
    public static string FileName(DateTimeOffset from, DateTimeOffset to) => $"turnstone-usage-{from:yyyyMMdd}-{to:yyyyMMdd}.csv";

    public Task<CsvExport> StartAsync(AdminActor actor, UsageFilter filter, UsageResolution resolution, CancellationToken cancellationToken) =>
        CsvExport.StartAsync(billing.ExportAsync(actor, filter, resolution, cancellationToken), UsageCsv.WriteAsync, cancellationToken);

    public Task<CsvExport> StartAsync(
        AdminActor actor, string? realm, DateTimeOffset from, DateTimeOffset to, UsageResolution resolution, CancellationToken cancellationToken) =>
        StartAsync(actor, new UsageFilter(from, to, realm), resolution, cancellationToken);
}
