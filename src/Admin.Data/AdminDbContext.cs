using Admin.Data.Cluster;
using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Admin.Data;

/// <summary>
/// The admin database: coturn's tables under coturn's names, plus Turnstone's own (turnstone_*).
/// Get instances from <see cref="IDbContextFactory{AdminDbContext}"/> (pooled), one per unit of work.
/// </summary>
public sealed class AdminDbContext(DbContextOptions<AdminDbContext> options) : DbContext(options)
{
    /// <summary>The migrations assembly (migrations/Admin.Migrations).</summary>
    public const string MigrationsAssembly = "Admin.Migrations";

    /// <summary>The channel the change triggers notify (a JSON payload, see <see cref="Credentials.ChangeNotification"/> and the ChangePayloadJson migration).</summary>
    public const string ChangeChannel = "turnstone_changes";

    public DbSet<TurnUser> Users => Set<TurnUser>();

    public DbSet<TurnSecret> Secrets => Set<TurnSecret>();

    public DbSet<AllowedPeerIp> AllowedPeerIps => Set<AllowedPeerIp>();

    public DbSet<DeniedPeerIp> DeniedPeerIps => Set<DeniedPeerIp>();

    public DbSet<OriginToRealm> OriginsToRealms => Set<OriginToRealm>();

    public DbSet<RealmHostName> RealmHostNames => Set<RealmHostName>();

    public DbSet<RealmOption> RealmOptions => Set<RealmOption>();

    public DbSet<OAuthKey> OAuthKeys => Set<OAuthKey>();

    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();

    public DbSet<AdminApiToken> AdminApiTokens => Set<AdminApiToken>();

    public DbSet<Realm> Realms => Set<Realm>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<UsageMinute> UsageMinutes => Set<UsageMinute>();

    public DbSet<UsagePeriod> UsagePeriods => Set<UsagePeriod>();

    /// <summary>The cluster's node registry (see <see cref="NodeRegistry"/>).</summary>
    public DbSet<ClusterNode> Nodes => Set<ClusterNode>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AdminDbContext).Assembly);
}
