using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class UsagePeriodConfiguration : IEntityTypeConfiguration<UsagePeriod>
{
    public void Configure(EntityTypeBuilder<UsagePeriod> builder)
    {
        builder.ToTable("turnstone_usage_period", t =>
            t.HasCheckConstraint("ck_turnstone_usage_period_granularity", "granularity IN ('hour', 'day')"));
        // Compaction adds into existing rows (ON CONFLICT on this key), so late minutes of a compacted hour still count.
        builder.HasKey(u => new { u.Granularity, u.PeriodStart, u.Realm, u.Name });
        builder.Property(u => u.Granularity).HasColumnName("granularity").HasMaxLength(4);
        builder.Property(u => u.PeriodStart).HasColumnName("period_start");
        builder.Property(u => u.Realm).HasColumnName("realm").HasMaxLength(127);
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(512);
        builder.Property(u => u.BytesIn).HasColumnName("bytes_in");
        builder.Property(u => u.BytesOut).HasColumnName("bytes_out");
        builder.Property(u => u.PacketsIn).HasColumnName("packets_in");
        builder.Property(u => u.PacketsOut).HasColumnName("packets_out");
        builder.Property(u => u.AllocationSeconds).HasColumnName("allocation_seconds");
        builder.HasIndex(u => new { u.Realm, u.PeriodStart }).HasDatabaseName("ix_turnstone_usage_period_realm");
    }
}
