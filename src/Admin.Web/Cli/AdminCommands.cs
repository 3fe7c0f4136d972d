using System.CommandLine;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary><c>admin add|list|delete|passwd</c>: portal administrators (coturn's admin_user).</summary>
internal static class AdminCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("admin", "Manage portal administrators.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Delete(context));
        command.Add(Passwd(context));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var user = CliOptions.User("The admin's name.");
        var password = CliSecretInput.PasswordArgument($"The admin's password (at least {AdminAccountAdministration.MinPasswordLength} characters).");
        var stdin = CliSecretInput.PasswordStdin();
        var realm = CliOptions.Realm(required: false, "Confine the admin to this realm; without it the admin is a superuser.");
        var command = new Command("add", "Add an admin (turnadmin -A).") { user, password, stdin, realm };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = await CliSecretInput.ReadAsync(context, parse, password, stdin, "password", confirm: true);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var name = parse.GetRequiredValue(user);
            var realmName = parse.GetValue(realm);
            await services.Get<AdminAccountAdministration>().AddAsync(name, secret, realmName, context.Actor, cancellationToken);
            await context.Out.WriteLineAsync(string.IsNullOrEmpty(realmName)
                ? $"Added superuser admin '{name}'."
                : $"Added admin '{name}' for realm '{realmName}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CliJson.Option();
        var command = new Command("list", "List admins (name, realm or * for superuser, last sign-in), like turnadmin -L.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var admins = await services.Get<AdminAccountAdministration>().ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context, admins.Select(a => new { name = a.Name, realm = a.Realm, superuser = a.IsSuperuser, createdAt = a.CreatedAt, lastLoginAt = a.LastLoginAt }));
                return ExitCodes.Ok;
            }
            foreach (var admin in admins)
            {
                var lastLogin = admin.LastLoginAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
                await context.Out.WriteLineAsync($"{admin.Name}\t{(admin.IsSuperuser ? "*" : admin.Realm)}\t{lastLogin}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var user = CliOptions.User("The admin's name.");
        var command = new Command("delete", "Delete an admin (never the last superuser), like turnadmin -D.") { user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var name = parse.GetRequiredValue(user);
            await services.Get<AdminAccountAdministration>().DeleteAsync(name, context.Actor, cancellationToken);
            await context.Out.WriteLineAsync($"Deleted admin '{name}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Passwd(CliContext context)
    {
        var user = CliOptions.User("The admin's name.");
        var password = CliSecretInput.PasswordArgument("The new password.");
        var stdin = CliSecretInput.PasswordStdin();
        var command = new Command("passwd", "Set an admin's password (also ends a lockout).") { user, password, stdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = await CliSecretInput.ReadAsync(context, parse, password, stdin, "password", confirm: true);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var name = parse.GetRequiredValue(user);
            await services.Get<AdminAccountAdministration>().SetPasswordAsync(name, secret, null, context.Actor, cancellationToken);
            await context.Out.WriteLineAsync($"Changed the password of admin '{name}'.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
