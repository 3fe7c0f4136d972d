using System.CommandLine;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>
/// <c>peer add|remove|list</c>: the peer addresses clients may or may not relay to (coturn's allowed_peer_ip and
/// denied_peer_ip; turnserver's allowed-peer-ip/denied-peer-ip), global without --realm or per realm. An allow rule
/// wins over a deny rule; the relay's built-in denials and global deny rules are a floor realm rules cannot lower.
/// </summary>
internal static class PeerCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("peer", "Manage peer allow/deny rules (global, or per realm with --realm).");
        command.Add(Change(context, "add", "Add an allow or deny rule.", remove: false));
        command.Add(Change(context, "remove", "Remove a rule.", remove: true));
        command.Add(List(context));
        return command;
    }

    private static Command Change(CliContext context, string name, string description, bool remove)
    {
        var kind = Kind();
        var range = new Option<string>("--range") { Description = "An address, a CIDR (10.0.0.0/8) or a range a-b.", Required = true };
        var realm = CliOptions.Realm(required: false, "The realm; without it the rule is global (superuser).");
        var command = new Command(name, description) { kind, range, realm };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var rules = services.Get<PeerRuleAdministration>();
            var realmName = parse.GetValue(realm) ?? "";
            var ruleKind = parse.GetRequiredValue(kind);
            var rangeText = parse.GetRequiredValue(range);
            if (remove) await rules.DeleteAsync(context.Actor, realmName, ruleKind, rangeText, cancellationToken);
            else await rules.AddAsync(context.Actor, realmName, ruleKind, rangeText, cancellationToken);
            var scope = realmName.Length == 0 ? "globally" : $"in realm '{realmName}'";
            await context.Out.WriteLineAsync($"{(remove ? "Removed" : "Added")} {Name(ruleKind)} rule '{rangeText}' {scope}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var realm = CliOptions.Realm(required: false, "Only this realm's rules.");
        var global = new Option<bool>("--global") { Description = "Only the global rules." };
        var json = CliJson.Option();
        var command = new Command("list", "List rules: scope (* = global), allow|deny, range.") { realm, global, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(global) && parse.GetValue(realm) is not null) throw new CliException("give --realm or --global, not both", ExitCodes.Usage);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var scope = parse.GetValue(global) ? "" : parse.GetValue(realm);
            var rules = await services.Get<PeerRuleAdministration>().ListAsync(context.Actor, scope, cancellationToken);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context, rules.Select(r => new { realm = r.Realm.Length == 0 ? null : r.Realm, kind = Name(r.Kind), range = r.Range }));
                return ExitCodes.Ok;
            }
            foreach (var rule in rules) await context.Out.WriteLineAsync($"{(rule.Realm.Length == 0 ? "*" : rule.Realm)}\t{Name(rule.Kind)}\t{rule.Range}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<PeerRuleKind> Kind() => new("--kind")
    {
        Description = "allow or deny.",
        Required = true,
        CustomParser = result => result.Tokens.Count == 1 && result.Tokens[0].Value.ToLowerInvariant() is "allow" or "deny"
            ? (result.Tokens[0].Value.Equals("allow", StringComparison.OrdinalIgnoreCase) ? PeerRuleKind.Allow : PeerRuleKind.Deny)
            : Fail(result),
    };

    private static PeerRuleKind Fail(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError("--kind must be allow or deny.");
        return default;
    }

    private static string Name(PeerRuleKind kind) => kind == PeerRuleKind.Allow ? "allow" : "deny";
}
