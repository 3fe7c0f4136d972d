using System.CommandLine;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary><c>secret add|list|delete</c>: TURN REST API shared secrets (coturn's turn_secret).</summary>
internal static class SecretCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("secret", "Manage TURN REST API shared secrets.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Delete(context));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var realm = CliOptions.Realm();
        var secret = CliSecretInput.SecretArgument("The secret.");
        var stdin = CliSecretInput.SecretStdin();
        var command = new Command("add",
            "Add a shared secret to a realm (turnadmin -s; several may be active, for rotation). Without --secret-stdin a strong random one is generated and printed.")
        {
            realm, secret, stdin,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // No prompt here: without a given secret, a generated one is the better default.
            var given = parse.GetValue(secret) is not null || parse.GetValue(stdin)
                ? await CliSecretInput.ReadAsync(context, parse, secret, stdin, "secret", confirm: false)
                : null;
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var secrets = services.Get<SecretAdministration>();
            var realmName = parse.GetRequiredValue(realm);
            if (string.IsNullOrEmpty(given))
            {
                var generated = await secrets.GenerateAsync(context.Actor, realmName, cancellationToken);
                // The value alone on stdout, so scripts can capture it.
                await context.Out.WriteLineAsync(generated.Value);
                await context.Error.WriteLineAsync($"Added a generated secret to realm '{realmName}' (fingerprint {generated.Fingerprint}).");
            }
            else
            {
                var added = await secrets.AddAsync(context.Actor, realmName, given, cancellationToken);
                await context.Out.WriteLineAsync($"Added secret {added.Fingerprint} to realm '{realmName}'.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var realm = CliOptions.Realm();
        var showValues = new Option<bool>("--show-values") { Description = "Print the secrets themselves, not only their fingerprints (turnadmin -S)." };
        var json = CliJson.Option();
        var command = new Command("list", "List a realm's secrets by fingerprint.") { realm, showValues, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var show = parse.GetValue(showValues);
            var secrets = await services.Get<SecretAdministration>().ListAsync(context.Actor, parse.GetRequiredValue(realm), cancellationToken);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context, secrets.Select(s => new { realm = s.Realm, fingerprint = s.Fingerprint, value = show ? s.Value : null }));
                return ExitCodes.Ok;
            }
            foreach (var info in secrets)
                await context.Out.WriteLineAsync(show ? $"{info.Fingerprint}\t{info.Value}" : info.Fingerprint);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var realm = CliOptions.Realm();
        var secret = new Option<string>("--secret", "-s") { Description = "The secret's fingerprint as 'secret list' prints it (or the secret itself)." };
        var all = new Option<bool>("--all") { Description = "Delete every secret of the realm (turnadmin --delete-all-secrets), one audited change each." };
        var command = new Command("delete", "Delete a shared secret (turnadmin -X), or all of a realm's.") { realm, secret, all };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(secret);
            if ((given is null) == !parse.GetValue(all)) throw new CliException("give --secret or --all", ExitCodes.Usage);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var secrets = services.Get<SecretAdministration>();
            var realmName = parse.GetRequiredValue(realm);
            if (given is not null)
            {
                await secrets.DeleteAsync(context.Actor, realmName, given, cancellationToken);
                await context.Out.WriteLineAsync($"Deleted the secret from realm '{realmName}'.");
                return ExitCodes.Ok;
            }
            var existing = await secrets.ListAsync(context.Actor, realmName, cancellationToken);
            foreach (var info in existing) await secrets.DeleteAsync(context.Actor, realmName, info.Value, cancellationToken);
            await context.Out.WriteLineAsync($"Deleted {existing.Count} secret(s) from realm '{realmName}'.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
