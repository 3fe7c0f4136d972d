using System.CommandLine;
using System.Globalization;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary><c>realm add|list|delete</c>, and <c>realm host-name|origin add|remove|list</c> (<see cref="RealmEntryPointCommands"/>).</summary>
internal static class RealmCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("realm", "Manage realms.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Delete(context));
        command.Add(RealmEntryPointCommands.HostNames(context));
        command.Add(RealmEntryPointCommands.Origins(context));
        command.Add(RealmOptionCommands.Create(context));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var realm = CliOptions.Realm();
        var description = new Option<string>("--description", "-d") { Description = "A note for operators." };
        var command = new Command("add", "Add a realm.") { realm, description };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var added = await services.Get<RealmAdministration>()
                .AddAsync(context.Actor, parse.GetRequiredValue(realm), parse.GetValue(description), cancellationToken);
            await context.Out.WriteLineAsync($"Added realm '{added.Name}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CliJson.Option();
        var command = new Command("list", "List realms (name, created, description).") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var realms = await services.Get<RealmAdministration>().ListAsync(context.Actor, cancellationToken);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context, realms.Select(r => new { name = r.Name, description = r.Description, createdAt = r.CreatedAt, updatedAt = r.UpdatedAt }));
                return ExitCodes.Ok;
            }
            foreach (var realm in realms)
            {
                await context.Out.WriteLineAsync(
                    $"{realm.Name}\t{realm.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}\t{realm.Description}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var realm = CliOptions.Realm();
        var command = new Command("delete", "Delete a realm and everything in it (users, secrets, options, peer rules, origins, host names).") { realm };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var name = parse.GetRequiredValue(realm);
            var impact = await services.Get<RealmAdministration>().DeleteAsync(context.Actor, name, cancellationToken);
            await context.Out.WriteLineAsync(
                $"Deleted realm '{name}' with {impact.Users} user(s), {impact.Secrets} secret(s), {impact.PeerRules} peer rule(s), " +
                $"{impact.Origins} origin(s), {impact.HostNames} host name(s) and {impact.Options} option(s).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
