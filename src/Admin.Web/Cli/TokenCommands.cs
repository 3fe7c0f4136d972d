using System.CommandLine;
using System.Globalization;
using Admin.Data.Administration;

namespace Admin.Web.Cli;

/// <summary><c>token add|list|revoke</c>: an admin's JSON API tokens (the portal's API tokens page does the same).</summary>
internal static class TokenCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("token", "Manage admins' JSON API tokens.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Revoke(context));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var user = CliOptions.User("The admin who owns the token (it acts with their realm scope).");
        var label = new Option<string>("--label", "-l") { Description = "What the token is for.", Required = true };
        var days = new Option<int?>("--days") { Description = "Expire after this many days; without it the token does not expire." };
        var scope = new Option<string>("--scope")
        {
            Description = "full (default: everything the admin may do) or vend (only POST /api/v1/realms/{--realm}/ice-servers); also vend:REALM.",
        };
        var realm = new Option<string?>("--realm", "-r") { Description = "The one realm a vend-only token may vend credentials of." };
        var command = new Command("add", "Create an API token and print it (only now; it is stored hashed).") { user, label, days, scope, realm };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var lifetime = parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
            var tokenScope = ApiTokenScope.Parse(parse.GetValue(scope), parse.GetValue(realm))
                ?? throw new CliException("--scope is 'full' or 'vend' (with --realm REALM, or as vend:REALM).", ExitCodes.Usage);
            var created = await services.Get<ApiTokenAdministration>().CreateAsync(context.Actor, parse.GetRequiredValue(user), parse.GetRequiredValue(label), lifetime,
                tokenScope, cancellationToken);
            // The token alone on stdout, so scripts can capture it.
            await context.Out.WriteLineAsync(created.Token);
            await context.Error.WriteLineAsync($"Created API token {created.Info.Id} ({created.Info.Prefix}…) for admin '{created.Info.AdminName}', scope {created.Info.Scope}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var user = CliOptions.User("The admin whose tokens to list.");
        var command = new Command("list", "List an admin's tokens: id, prefix, label, created, expires, last used, scope (full or vend:REALM), status.") { user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            foreach (var t in await services.Get<ApiTokenAdministration>().ListAsync(context.Actor, parse.GetRequiredValue(user), cancellationToken))
            {
                var status = t.RevokedAt is not null ? "revoked" : t.IsActive(now) ? "active" : "expired";
                await context.Out.WriteLineAsync(string.Join('\t', t.Id.ToString(CultureInfo.InvariantCulture), t.Prefix, t.Label, Time(t.CreatedAt),
                    t.ExpiresAt is { } e ? Time(e) : "never", t.LastUsedAt is { } u ? Time(u) : "never", t.Scope.ToString(), status));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var user = CliOptions.User("The admin who owns the token.");
        var id = new Option<long>("--id") { Description = "The token's id, as 'token list' prints it.", Required = true };
        var command = new Command("revoke", "Revoke a token: refused from the next request on.") { user, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliServices.OpenAsync(context, requireSchema: true, cancellationToken);
            var revoked = await services.Get<ApiTokenAdministration>().RevokeAsync(context.Actor, parse.GetRequiredValue(user), parse.GetRequiredValue(id), cancellationToken);
            await context.Out.WriteLineAsync($"Revoked API token {revoked.Id} ({revoked.Prefix}…).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Time(DateTimeOffset value) => value.ToString("u", CultureInfo.InvariantCulture);
}
