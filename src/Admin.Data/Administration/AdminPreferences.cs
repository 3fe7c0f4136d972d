using Microsoft.EntityFrameworkCore;

namespace Admin.Data.Administration;

/// <summary>
/// Per-admin portal preferences kept server-side (admin_user.theme, migration AdminPreferences), so a choice follows
/// the admin to any browser. Not audited: it changes nothing but how the portal looks to that admin.
/// </summary>
public sealed class AdminPreferences(IDbContextFactory<AdminDbContext> factory)
{
    public const string Light = "light";
    public const string Dark = "dark";

    /// <summary>The admin's theme: <see cref="Light"/>, <see cref="Dark"/>, or null (follow the browser's setting).</summary>
    public async Task<string?> GetThemeAsync(string adminName, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var theme = await db.AdminUsers.AsNoTracking().Where(a => a.Name == adminName).Select(a => a.Theme).SingleOrDefaultAsync(cancellationToken);
        return theme is Light or Dark ? theme : null;
    }

    /// <summary>Sets the acting admin's own theme (null = follow the browser). An admin sets only their own.</summary>
    public async Task SetThemeAsync(AdminActor actor, string? theme, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (theme is not (null or Light or Dark))
            throw new AdminOperationException(AdminErrorCode.InvalidInput, "The theme is 'light', 'dark' or none (follow the system).", "theme");
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var changed = await db.AdminUsers.Where(a => a.Name == actor.Name).ExecuteUpdateAsync(s => s.SetProperty(a => a.Theme, theme), cancellationToken);
        if (changed == 0) throw new AdminOperationException(AdminErrorCode.NotFound, $"Admin '{actor.Name}' does not exist.", "admin");
    }
}
