using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class AdminApiTokenConfiguration : IEntityTypeConfiguration<AdminApiToken>
{
    public void Configure(EntityTypeBuilder<AdminApiToken> builder)
    {
        builder.ToTable("turnstone_admin_api_token");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(t => t.AdminName).HasColumnName("admin_name").HasMaxLength(32);
        builder.Property(t => t.Label).HasColumnName("label").HasMaxLength(100);
        builder.Property(t => t.Prefix).HasColumnName("prefix").HasMaxLength(16);
        builder.Property(t => t.TokenHash).HasColumnName("token_hash").HasMaxLength(32);
        builder.Property(t => t.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        builder.Property(t => t.LastUsedAt).HasColumnName("last_used_at");
        builder.Property(t => t.RevokedAt).HasColumnName("revoked_at");
        builder.Property(t => t.Scope).HasColumnName("scope").HasMaxLength(16).HasDefaultValue(Administration.ApiTokenScope.FullName);
        builder.Property(t => t.ScopeRealm).HasColumnName("scope_realm").HasMaxLength(127);
        builder.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ux_turnstone_admin_api_token_hash");
        builder.HasIndex(t => t.AdminName).HasDatabaseName("ix_turnstone_admin_api_token_admin");
    }
}
