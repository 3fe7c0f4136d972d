using System.CommandLine;
using Turn.Protocol;

namespace Admin.Web.Cli;

/// <summary><c>user add|list|delete|passwd|key</c>: long-term credential users (coturn's turnusers_lt).</summary>
internal static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("user", "Manage TURN users (long-term credentials).");
        command.Add(Key(context));
        return command;
    }

    private static Command Key(CliContext context)
    {
        var user = CliOptions.User();
        var realm = CliOptions.Realm();
        var password = CliOptions.Password();
        var command = new Command(
            "key",
            "Print the long-term key, lowercase hex MD5(user:realm:password), like coturn's 'turnadmin -k'. Needs no database.")
        {
            user, realm, password,
        };
        command.SetAction(async parse =>
        {
            var key = LongTermKey.ComputeHex(parse.GetRequiredValue(user), parse.GetRequiredValue(realm), parse.GetRequiredValue(password));
            await context.Out.WriteLineAsync(key);
            return ExitCodes.Ok;
        });
        return command;
    }
}
