using System.CommandLine;
using Admin.Data.Administration;
using Admin.Data.Exports;

namespace Admin.Web.Cli;

/// <summary>
/// <c>user import|export</c>: a realm's users as CSV, in the format the portal and the API use (<see cref="UserCsv"/>:
/// "user,password" or "user,hmackey" to import, "user,hmackey" exported). Import is all or nothing and lists every bad line.
/// </summary>
internal static class UserCsvCommands
{
    public static Command Import(CliContext context)
    {
        var realm = CliOptions.Realm();
        var file = new Option<string>("--file", "-f") { Description = "The CSV file, or - for standard input.", Required = true };
        var existing = new Option<ExistingUserMode>("--existing")
        {
            Description = "A user the realm already has: refuse (the import fails), skip it, or update its password/key.",
            DefaultValueFactory = _ => ExistingUserMode.Refuse,
        };
        var command = new Command("import", "Import users from CSV ('user,password' or 'user,hmackey' header); all or nothing.") { realm, file, existing };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            var (rows, errors) = path == "-" ? UserCsv.Parse(context.In) : ParseFile(path);
            var realmName = parse.GetRequiredValue(realm);
            if (errors.Count == 0)
            {
                await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
                var result = await services.Get<UserAdministration>().ImportAsync(context.Actor, realmName, rows, parse.GetValue(existing), cancellationToken);
                if (result.Succeeded)
                {
                    foreach (var line in result.Lines.Where(l => l.Outcome != UserImportOutcome.Added))
                        await context.Out.WriteLineAsync($"line {line.Line} ({line.Name}): {line.Outcome.ToString().ToLowerInvariant()}");
                    var added = result.Lines.Count(l => l.Outcome == UserImportOutcome.Added);
                    await context.Out.WriteLineAsync(result.Updated + result.Skipped == 0
                        ? $"Imported {result.Imported} user(s) into realm '{realmName}'."
                        : $"Imported into realm '{realmName}': {added} added, {result.Updated} updated, {result.Skipped} skipped.");
                    return ExitCodes.Ok;
                }
                errors = result.Errors;
            }
            foreach (var e in errors) await context.Error.WriteLineAsync($"line {e.Line}{(e.Name is null ? "" : $" ({e.Name})")}: {e.Message}");
            await context.Error.WriteLineAsync($"turnstone: nothing was imported: {errors.Count} bad line(s)");
            return ExitCodes.Usage;
        });
        return command;
    }

    public static Command Export(CliContext context)
    {
        var realm = CliOptions.Realm();
        var file = new Option<string>("--file", "-f") { Description = "Write to this file (mode 0600: it holds keys); without it, to standard output." };
        var command = new Command("export", "Export a realm's users as CSV 'user,hmackey' (audited); 'user import' reads it back.") { realm, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var rows = services.Get<UserAdministration>().ExportAsync(context.Actor, parse.GetRequiredValue(realm), cancellationToken);
            var path = parse.GetValue(file);
            if (string.IsNullOrEmpty(path))
            {
                await UserCsv.WriteAsync(context.Out, rows, cancellationToken);
                return ExitCodes.Ok;
            }
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
                await UserCsv.WriteAsync(writer, rows, cancellationToken);
            await context.Out.WriteLineAsync($"Exported the users of realm '{parse.GetRequiredValue(realm)}' to {path}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (IReadOnlyList<UserImportRow> Rows, IReadOnlyList<UserImportError> Errors) ParseFile(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return UserCsv.Parse(reader);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read {path}: {e.Message}", ExitCodes.Usage);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException($"cannot read {path}: {e.Message}", ExitCodes.Usage);
        }
    }
}
