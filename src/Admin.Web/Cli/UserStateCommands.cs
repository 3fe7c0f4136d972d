using System.CommandLine;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>
/// <c>user disable|enable</c>: a disabled user keeps its key but is refused by the relay, and a running node ends its
/// live allocations (the change reaches it through PostgreSQL, as from the portal).
/// </summary>
internal static class UserStateCommands
{
    public static Command SetDisabled(CliContext context, bool disabled)
    {
        var realm = CliOptions.Realm();
        var user = CliOptions.User();
        var command = new Command(disabled ? "disable" : "enable",
            disabled ? "Disable a user: refused by the relay, live allocations ended; the key is kept." : "Enable a disabled user again.")
        {
            realm, user,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var info = await services.Get<UserAdministration>().SetDisabledAsync(
                context.Actor, parse.GetRequiredValue(realm), parse.GetRequiredValue(user), disabled, expectedVersion: null, cancellationToken);
            await context.Out.WriteLineAsync($"{(disabled ? "Disabled" : "Enabled")} user '{info.Name}' in realm '{info.Realm}'.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
