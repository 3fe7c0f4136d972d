using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class UsageMinuteConfiguration : IEntityTypeConfiguration<UsageMinute>
{
    public void Configure(EntityTypeBuilder<UsageMinute> builder)
    {
        builder.ToTable("turnstone_usage_minute");
        // The key makes retried writes idempotent (INSERT ... ON CONFLICT) and keeps nodes apart.
        builder.HasKey(u => new { u.Minute, u.Node, u.Realm, u.Name });
        builder.Property(u => u.Minute).HasColumnName("minute");
        builder.Property(u => u.Node).HasColumnName("node").HasMaxLength(64);
        builder.Property(u => u.Realm).HasColumnName("realm").HasMaxLength(127);
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(512);
        builder.Property(u => u.BytesIn).HasColumnName("bytes_in");
        builder.Property(u => u.BytesOut).HasColumnName("bytes_out");
        builder.Property(u => u.PacketsIn).HasColumnName("packets_in");
        builder.Property(u => u.PacketsOut).HasColumnName("packets_out");
        builder.Property(u => u.AllocationSeconds).HasColumnName("allocation_seconds");
        // The usage page asks per realm (and user) over a date range.
        builder.HasIndex(u => new { u.Realm, u.Name, u.Minute }).HasDatabaseName("ix_turnstone_usage_minute_user");
        builder.HasIndex(u => new { u.Realm, u.Minute }).HasDatabaseName("ix_turnstone_usage_minute_realm");
    }
}
