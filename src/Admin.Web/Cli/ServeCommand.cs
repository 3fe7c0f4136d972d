using System.CommandLine;
using Admin.Web.Hosting;

namespace Admin.Web.Cli;

/// <summary><c>serve</c>: migrate, bootstrap the first admin, then run the relay and the portal until stopped.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Run the TURN relay and the admin portal (the default verb).");
        command.SetAction((_, cancellationToken) => RunAsync(context, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var app = TurnstoneHost.CreateWebApplication(context.ConfigurationArgs);
        // Before the host starts, so a database that is down gives one clear line, not a host crash log.
        var startup = app.Services.GetRequiredService<DatabaseStartup>();
        startup.Console = context.Out;
        await startup.InitializeAsync(cancellationToken);
        await app.RunAsync();
        return ExitCodes.Ok;
    }
}
