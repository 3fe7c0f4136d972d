using System.CommandLine;
using Admin.Data.Import.Coturn;

namespace Admin.Web.Cli;

/// <summary>
/// <c>import coturn --config turnserver.conf --db turndb [--apply] [--json]</c>: reads coturn's configuration and SQLite
/// user database, prints what maps where (<see cref="CoturnImportReport"/>), and with --apply writes the database part
/// in one audited transaction. Without --apply the same writes run and are rolled back, so the report is exact.
/// </summary>
internal static class ImportCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import", "Import from another TURN server.");
        command.Add(Coturn(context));
        return command;
    }

    private static Command Coturn(CliContext context)
    {
        var config = new Option<string>("--config") { Description = "coturn's turnserver.conf (e.g. /etc/turnserver.conf)." };
        var db = new Option<string>("--db") { Description = "coturn's SQLite user database (e.g. /var/lib/turn/turndb); without it, the userdb= of --config." };
        var apply = new Option<bool>("--apply") { Description = "Write to the database (one transaction, audited). Without it: a dry run that writes nothing." };
        var json = CliJson.Option();
        var command = new Command("coturn",
            "Import coturn's turnserver.conf and SQLite database: realms, users, secrets, realm options, origins, peer rules and admins go to the "
            + "database; listening and relay settings are printed as an appsettings.json snippet. Dry run unless --apply; running it twice changes nothing.")
        {
            config, db, apply, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configPath = parse.GetValue(config);
            var entries = configPath is null ? [] : ReadConfig(configPath);
            var dbPath = parse.GetValue(db) ?? entries.LastOrDefault(e => e.Name is "userdb" or "db")?.Value;
            if (configPath is null && dbPath is null) throw new CliException("give --config, --db or both", ExitCodes.Usage);

            var plan = new CoturnImportPlan();
            CoturnConfigMapper.Map(entries, plan);
            if (dbPath is not null)
            {
                CoturnDatabaseContent content;
                try
                {
                    content = await CoturnSqliteReader.ReadAsync(dbPath, cancellationToken);
                }
                catch (Exception e) when (e is FileNotFoundException or Microsoft.Data.Sqlite.SqliteException)
                {
                    throw new CliException($"cannot read the coturn database {dbPath}: {e.Message}", ExitCodes.Usage);
                }
                CoturnDatabaseMapper.Map(content, plan);
            }

            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var sources = string.Join(", ", new[] { configPath, dbPath }.Where(p => p is not null));
            var result = await services.Get<CoturnImporter>().ImportAsync(context.Actor, plan, parse.GetValue(apply), sources, cancellationToken);
            if (parse.GetValue(json)) await CliJson.WriteAsync(context, CoturnImportReport.ToJson(plan, result, configPath, dbPath));
            else await CoturnImportReport.WriteAsync(context.Out, plan, result, configPath, dbPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IReadOnlyList<CoturnConfigEntry> ReadConfig(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return CoturnConfigParser.Parse(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", ExitCodes.Usage);
        }
    }
}
