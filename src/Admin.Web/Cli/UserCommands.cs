using System.CommandLine;
using Admin.Data.Administration;
using Turn.Protocol;

namespace Admin.Web.Cli;

/// <summary><c>user add|list|delete|passwd|key</c>: long-term credential users (coturn's turnusers_lt).</summary>
internal static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("user", "Manage TURN users (long-term credentials).");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Delete(context));
        command.Add(Passwd(context));
        command.Add(Key(context));
        command.Add(Show(context));
        command.Add(UserStateCommands.SetDisabled(context, disabled: true));
        command.Add(UserStateCommands.SetDisabled(context, disabled: false));
        command.Add(UserCsvCommands.Import(context));
        command.Add(UserCsvCommands.Export(context));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var realm = CliOptions.Realm();
        var user = CliOptions.User();
        var password = CliSecretInput.PasswordArgument("The password.");
        var stdin = CliSecretInput.PasswordStdin();
        var command = new Command("add", "Add a user; stores MD5(user:realm:password) as coturn does (turnadmin -a).") { realm, user, password, stdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = await CliSecretInput.ReadAsync(context, parse, password, stdin, "password", confirm: true);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var added = await services.Get<UserAdministration>().AddAsync(
                context.Actor, parse.GetRequiredValue(realm), parse.GetRequiredValue(user), secret, cancellationToken);
            await context.Out.WriteLineAsync($"Added user '{added.Name}' to realm '{added.Realm}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var realm = CliOptions.Realm();
        var prefix = new Option<string>("--prefix") { Description = "Only names starting with this (case-insensitive)." };
        var json = CliJson.Option();
        var command = new Command("list", "List a realm's users (name, and 'disabled' where so), like turnadmin -l.") { realm, prefix, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var users = services.Get<UserAdministration>();
            var realmName = parse.GetRequiredValue(realm);
            var namePrefix = parse.GetValue(prefix);
            var asJson = parse.GetValue(json);
            var all = new List<UserInfo>();
            // Page through: a realm may hold millions of users.
            for (var skip = 0; ; skip += UserAdministration.MaxPageSize)
            {
                var page = await users.ListAsync(context.Actor, realmName, namePrefix, skip, UserAdministration.MaxPageSize, cancellationToken);
                if (asJson) all.AddRange(page.Items);
                else foreach (var u in page.Items) await context.Out.WriteLineAsync(u.Disabled ? $"{u.Name}\tdisabled" : u.Name);
                if (page.Items.Count < UserAdministration.MaxPageSize) break;
            }
            if (asJson) await CliJson.WriteAsync(context, all.Select(ToJson));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var realm = CliOptions.Realm();
        var user = CliOptions.User();
        var command = new Command("delete", "Delete a user (turnadmin -d).") { realm, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var realmName = parse.GetRequiredValue(realm);
            var name = parse.GetRequiredValue(user);
            await services.Get<UserAdministration>().DeleteAsync(context.Actor, realmName, name, cancellationToken);
            await context.Out.WriteLineAsync($"Deleted user '{name}' from realm '{realmName}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Passwd(CliContext context)
    {
        var realm = CliOptions.Realm();
        var user = CliOptions.User();
        var password = CliSecretInput.PasswordArgument("The new password.");
        var stdin = CliSecretInput.PasswordStdin();
        var command = new Command("passwd", "Change a user's password (turnadmin -a on an existing user).") { realm, user, password, stdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = await CliSecretInput.ReadAsync(context, parse, password, stdin, "password", confirm: true);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var realmName = parse.GetRequiredValue(realm);
            var name = parse.GetRequiredValue(user);
            await services.Get<UserAdministration>().ChangePasswordAsync(
                context.Actor, realmName, name, secret, expectedVersion: null, cancellationToken);
            await context.Out.WriteLineAsync($"Changed the password of user '{name}' in realm '{realmName}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Key(CliContext context)
    {
        var user = CliOptions.User();
        var realm = CliOptions.Realm();
        var password = CliSecretInput.PasswordArgument("The password.");
        var stdin = CliSecretInput.PasswordStdin();
        var command = new Command(
            "key",
            "Print the long-term key, lowercase hex MD5(user:realm:password), like coturn's 'turnadmin -k'. Needs no database.")
        {
            user, realm, password, stdin,
        };
        command.SetAction(async parse =>
        {
            var secret = await CliSecretInput.ReadAsync(context, parse, password, stdin, "password", confirm: false);
            var key = LongTermKey.ComputeHex(parse.GetRequiredValue(user), parse.GetRequiredValue(realm), secret);
            await context.Out.WriteLineAsync(key);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var realm = CliOptions.Realm();
        var user = CliOptions.User();
        var json = CliJson.Option();
        var command = new Command("show", "Show one user: name, realm, disabled, created, updated (never the key).") { realm, user, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var info = await services.Get<UserAdministration>().GetAsync(context.Actor, parse.GetRequiredValue(realm), parse.GetRequiredValue(user), cancellationToken);
            if (parse.GetValue(json)) await CliJson.WriteAsync(context, ToJson(info));
            else await context.Out.WriteLineAsync(string.Join('\t', info.Name, info.Realm, info.Disabled ? "disabled" : "enabled", CliText.Time(info.CreatedAt), CliText.Time(info.UpdatedAt)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static object ToJson(UserInfo u) => new { name = u.Name, realm = u.Realm, disabled = u.Disabled, createdAt = u.CreatedAt, updatedAt = u.UpdatedAt };
}
