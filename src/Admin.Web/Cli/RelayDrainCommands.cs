using System.CommandLine;

namespace Admin.Web.Cli;

/// <summary>
/// <c>relay status|drain|resume</c>: a running node's drain switch, through its JSON API (<see cref="LiveApiClient"/>).
/// Draining refuses new allocations while live ones run on: before a restart or a move. Superuser tokens only.
/// </summary>
internal static class RelayDrainCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("relay", "A running node's drain state, through its JSON API (--server URL; token from --token-file or TURNSTONE_API_TOKEN).");
        command.Add(Verb(context, "status", "Print whether the node is draining and how many allocations are live.", "GET"));
        command.Add(Verb(context, "drain", "Refuse new allocations; live ones run on until they end.", "POST"));
        command.Add(Verb(context, "resume", "Accept new allocations again.", "DELETE"));
        return command;
    }

    private static Command Verb(CliContext context, string name, string description, string method)
    {
        var (server, tokenFile) = (LiveApiClient.ServerOption(), LiveApiClient.TokenFileOption());
        var json = CliJson.Option();
        var command = new Command(name, description) { server, tokenFile, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = LiveApiClient.Create(parse, server, tokenFile);
            var answer = method switch
            {
                "POST" => await api.PostAsync("api/v1/relay/drain", cancellationToken),
                "DELETE" => await api.DeleteAsync("api/v1/relay/drain", cancellationToken),
                _ => await api.GetAsync("api/v1/relay", cancellationToken),
            };
            if (parse.GetValue(json)) await CliJson.WriteAsync(context, answer);
            else
            {
                var draining = SessionCommands.Text(answer, "draining") == "true";
                await context.Out.WriteLineAsync($"{(draining ? "draining" : "accepting")}\t{SessionCommands.Text(answer, "liveAllocations")} live allocation(s)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
