using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Admin.Web.Cli;

/// <summary>
/// <c>session list|terminate|terminate-user</c>: a running node's live allocations, through its JSON API
/// (<see cref="LiveApiClient"/>: --server, and the token from --token-file or TURNSTONE_API_TOKEN).
/// </summary>
internal static class SessionCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("session", "Live allocations on a running node, through its JSON API (--server URL; token from --token-file or TURNSTONE_API_TOKEN).");
        command.Add(List(context));
        command.Add(Terminate(context));
        command.Add(TerminateUser(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var (server, tokenFile) = (LiveApiClient.ServerOption(), LiveApiClient.TokenFileOption());
        var realm = CliOptions.Realm(required: false, "Only this realm (substring, case-insensitive).");
        var user = new Option<string>("--user", "-u") { Description = "Only users matching this (substring, case-insensitive)." };
        var json = CliJson.Option();
        var command = new Command("list", "List live allocations, newest first: id, realm, user, transport, client, relayed, created, bytes in/out.")
        {
            server, tokenFile, realm, user, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = LiveApiClient.Create(parse, server, tokenFile);
            var query = Query(("realm", parse.GetValue(realm)), ("user", parse.GetValue(user)));
            var items = new List<JsonElement>();
            // The API pages by at most 500.
            for (var skip = 0; ; skip += 500)
            {
                var page = await api.GetAsync($"api/v1/sessions?skip={skip}&take=500{query}", cancellationToken);
                var pageItems = page.GetProperty("items").EnumerateArray().ToList();
                items.AddRange(pageItems);
                if (pageItems.Count < 500) break;
            }
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context, items);
                return ExitCodes.Ok;
            }
            foreach (var s in items)
            {
                await context.Out.WriteLineAsync(string.Join('\t',
                    Text(s, "id"), Text(s, "realm"), Text(s, "user"), Text(s, "transport"), Text(s, "client"), Text(s, "relayed"),
                    Text(s, "createdAt"), Text(s, "bytesFromClient"), Text(s, "bytesToClient")));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Terminate(CliContext context)
    {
        var (server, tokenFile) = (LiveApiClient.ServerOption(), LiveApiClient.TokenFileOption());
        var id = new Option<string>("--id") { Description = "The allocation's id, as 'session list' prints it.", Required = true };
        var node = new Option<string>("--node") { Description = "The node holding it, in a cluster (as 'session list --json' names it); without it, the node --server is." };
        var command = new Command("terminate", "End one allocation: its client's next Refresh gets 437.") { server, tokenFile, id, node };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = LiveApiClient.Create(parse, server, tokenFile);
            var path = parse.GetValue(node) is { Length: > 0 } nodeName
                ? $"api/v1/sessions/{Uri.EscapeDataString(nodeName)}/{Uri.EscapeDataString(parse.GetRequiredValue(id))}"
                : $"api/v1/sessions/{Uri.EscapeDataString(parse.GetRequiredValue(id))}";
            var answer = await api.DeleteAsync(path, cancellationToken);
            await context.Out.WriteLineAsync($"Terminated {Text(answer, "terminated")} allocation(s){Audited(answer)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command TerminateUser(CliContext context)
    {
        var (server, tokenFile) = (LiveApiClient.ServerOption(), LiveApiClient.TokenFileOption());
        var realm = CliOptions.Realm();
        var user = CliOptions.User();
        var command = new Command("terminate-user", "End every live allocation of a user.") { server, tokenFile, realm, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = LiveApiClient.Create(parse, server, tokenFile);
            var answer = await api.DeleteAsync(
                $"api/v1/realms/{Uri.EscapeDataString(parse.GetRequiredValue(realm))}/users/{Uri.EscapeDataString(parse.GetRequiredValue(user))}/sessions", cancellationToken);
            await context.Out.WriteLineAsync($"Terminated {Text(answer, "terminated")} allocation(s) of user '{parse.GetRequiredValue(user)}'{Audited(answer)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Audited(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("audited", out var a) && a.ValueKind == JsonValueKind.False
            ? " (not audited: the node could not reach PostgreSQL)" : "";

    internal static string Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return "";
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.GetRawText(),
        };
    }

    private static string Query(params (string Name, string? Value)[] parameters) =>
        string.Concat(parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => string.Create(CultureInfo.InvariantCulture, $"&{p.Name}={Uri.EscapeDataString(p.Value!)}")));
}
