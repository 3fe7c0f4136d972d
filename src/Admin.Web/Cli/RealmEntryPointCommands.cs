using System.CommandLine;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>
/// <c>realm host-name add|remove|list</c> and <c>realm origin add|remove|list</c>: how clients reach a realm (TLS SNI
/// and vended URLs by host name, RFC 8656 ORIGIN by origin), through the same services as the portal and the API.
/// </summary>
internal static class RealmEntryPointCommands
{
    public static Command HostNames(CliContext context)
    {
        var command = new Command("host-name", "Manage the DNS names clients reach a realm by (TLS SNI picks the realm; vended URLs name them).");
        command.Add(Change(context, "add", "Add a host name to the realm.", "--host-name", "The DNS name, e.g. turn.tenant.example (no wildcards).",
            async (services, actor, realm, value, ct) => $"Added host name '{await services.Get<RealmEntryPoints>().AddHostNameAsync(actor, realm, value, ct)}' to realm '{realm}'."));
        command.Add(Change(context, "remove", "Remove a host name from the realm.", "--host-name", "The DNS name.",
            async (services, actor, realm, value, ct) =>
            {
                await services.Get<RealmEntryPoints>().RemoveHostNameAsync(actor, realm, value, ct);
                return $"Removed host name '{value}' from realm '{realm}'.";
            }));
        command.Add(List(context, "The realm's host names, one a line.", (services, actor, realm, ct) => services.Get<RealmEntryPoints>().ListHostNamesAsync(actor, realm, ct)));
        return command;
    }

    public static Command Origins(CliContext context)
    {
        var command = new Command("origin", "Manage the ORIGINs mapped to a realm (coturn's turn_origin_to_realm, turnadmin -O/-R/-I; stored in coturn's canonical form).");
        command.Add(Change(context, "add", "Map an origin to the realm.", "--origin", "The origin, e.g. https://app.tenant.example.",
            async (services, actor, realm, value, ct) => $"Mapped origin '{await services.Get<RealmAdministration>().AddOriginAsync(actor, realm, value, ct)}' to realm '{realm}'."));
        command.Add(Change(context, "remove", "Remove an origin from the realm.", "--origin", "The origin.",
            async (services, actor, realm, value, ct) =>
            {
                await services.Get<RealmAdministration>().RemoveOriginAsync(actor, realm, value, ct);
                return $"Removed origin '{value}' from realm '{realm}'.";
            }));
        command.Add(List(context, "The realm's origins, one a line.", (services, actor, realm, ct) => services.Get<RealmAdministration>().ListOriginsAsync(actor, realm, ct)));
        return command;
    }

    private static Command Change(
        CliContext context, string name, string description, string optionName, string optionDescription,
        Func<CliServices, AdminActor, string, string, CancellationToken, Task<string>> action)
    {
        var realm = CliOptions.Realm();
        var value = new Option<string>(optionName) { Description = optionDescription, Required = true };
        var command = new Command(name, description) { realm, value };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var message = await action(services, context.Actor, parse.GetRequiredValue(realm), parse.GetRequiredValue(value), cancellationToken);
            await context.Out.WriteLineAsync(message);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(
        CliContext context, string description, Func<CliServices, AdminActor, string, CancellationToken, Task<IReadOnlyList<string>>> list)
    {
        var realm = CliOptions.Realm();
        var json = CliJson.Option();
        var command = new Command("list", description) { realm, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var name = parse.GetRequiredValue(realm);
            await services.Get<RealmAdministration>().GetAsync(context.Actor, name, cancellationToken);
            var entries = await list(services, context.Actor, name, cancellationToken);
            if (parse.GetValue(json)) await CliJson.WriteAsync(context, entries);
            else foreach (var entry in entries) await context.Out.WriteLineAsync(entry);
            return ExitCodes.Ok;
        });
        return command;
    }
}
