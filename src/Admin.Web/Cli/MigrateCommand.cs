using System.CommandLine;
using Admin.Data;

namespace Admin.Web.Cli;

/// <summary><c>migrate</c>: bring the database schema up to date, then exit.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("migrate", "Apply pending database migrations and exit.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: false, cancellationToken);
            var applied = await services.Get<DatabaseMigrator>().MigrateAsync(cancellationToken);
            await context.Out.WriteLineAsync(applied.Count == 0
                ? "Database schema is up to date."
                : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
