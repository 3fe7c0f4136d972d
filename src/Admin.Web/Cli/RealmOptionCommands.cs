using System.CommandLine;
using System.Globalization;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary>
/// <c>realm option show|set</c>: coturn's realm options (turn_realm_option; turnadmin -G and -g) user-quota,
/// total-quota and max-bps, through the same service as the portal and the API.
/// </summary>
internal static class RealmOptionCommands
{
    private const string Default = "default";

    public static Command Create(CliContext context)
    {
        var command = new Command("option", "Show or set a realm's user-quota, total-quota and max-bps (turnadmin -G / -g).");
        command.Add(Show(context));
        command.Add(Set(context));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var realm = CliOptions.Realm(required: false, "The realm; without it every realm the command may see.");
        var json = CliJson.Option();
        var command = new Command("show", "Print realm, user-quota, total-quota, max-bps ('default' = the server's Relay: value; 0 = unlimited).") { realm, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var realms = services.Get<RealmAdministration>();
            var names = parse.GetValue(realm) is { } one ? [one] : (await realms.ListAsync(context.Actor, cancellationToken)).Select(r => r.Name).ToList();
            var rows = new List<(string Realm, RealmLimits Limits)>();
            foreach (var name in names)
            {
                await realms.GetAsync(context.Actor, name, cancellationToken);
                rows.Add((name, await realms.GetLimitsAsync(context.Actor, name, cancellationToken)));
            }
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context, rows.Select(r => new { realm = r.Realm, userQuota = r.Limits.UserQuota, totalQuota = r.Limits.TotalQuota, maxBps = r.Limits.MaxBitsPerSecond }));
                return ExitCodes.Ok;
            }
            foreach (var (name, limits) in rows)
            {
                await context.Out.WriteLineAsync(
                    $"{name}\tuser-quota={CliText.Number(limits.UserQuota)}\ttotal-quota={CliText.Number(limits.TotalQuota)}\tmax-bps={CliText.Number(limits.MaxBitsPerSecond)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Set(CliContext context)
    {
        var realm = CliOptions.Realm();
        var userQuota = Value("--user-quota", "Concurrent allocations per user");
        var totalQuota = Value("--total-quota", "Concurrent allocations in the realm");
        var maxBps = Value("--max-bps", "Bits per second per allocation, each direction");
        var command = new Command("set", "Set one or more of the options; the others keep their values.") { realm, userQuota, totalQuota, maxBps };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(realm);
            if (parse.GetValue(userQuota) is null && parse.GetValue(totalQuota) is null && parse.GetValue(maxBps) is null)
                throw new CliException("give at least one of --user-quota, --total-quota, --max-bps", ExitCodes.Usage);
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var realms = services.Get<RealmAdministration>();
            var current = await realms.GetLimitsAsync(context.Actor, name, cancellationToken);
            await realms.GetAsync(context.Actor, name, cancellationToken);
            var limits = new RealmLimits(
                (int?)Parse(parse.GetValue(userQuota), current.UserQuota, "--user-quota", int.MaxValue),
                (int?)Parse(parse.GetValue(totalQuota), current.TotalQuota, "--total-quota", int.MaxValue),
                Parse(parse.GetValue(maxBps), current.MaxBitsPerSecond, "--max-bps", long.MaxValue));
            var saved = await realms.SetLimitsAsync(context.Actor, name, limits, cancellationToken);
            await context.Out.WriteLineAsync(
                $"Realm '{name}': user-quota={CliText.Number(saved.UserQuota)} total-quota={CliText.Number(saved.TotalQuota)} max-bps={CliText.Number(saved.MaxBitsPerSecond)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string> Value(string name, string what) =>
        new(name) { Description = $"{what}: a whole number (0 = unlimited) or '{Default}' for the server's Relay: value." };

    // Unlike turnadmin -g, 0 means unlimited here (as in the portal); 'default' removes the row.
    private static long? Parse(string? given, long? current, string option, long max)
    {
        if (given is null) return current;
        if (string.Equals(given, Default, StringComparison.OrdinalIgnoreCase)) return null;
        if (long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max) return n;
        throw new CliException($"{option}: expected a whole number or '{Default}', not '{given}'", ExitCodes.Usage);
    }
}
