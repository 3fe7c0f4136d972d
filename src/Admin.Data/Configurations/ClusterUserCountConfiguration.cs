using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class ClusterUserCountConfiguration : IEntityTypeConfiguration<ClusterUserCount>
{
    public void Configure(EntityTypeBuilder<ClusterUserCount> builder)
    {
        builder.ToTable("turnstone_cluster_user_count");
        // Keyed by node first: each node upserts and deletes only its own rows.
        builder.HasKey(c => new { c.Node, c.Realm, c.QuotaUser });
        builder.Property(c => c.Node).HasColumnName("node").HasMaxLength(64);
        builder.Property(c => c.Realm).HasColumnName("realm").HasMaxLength(127);
        builder.Property(c => c.QuotaUser).HasColumnName("quota_user").HasMaxLength(512);
        builder.Property(c => c.Allocations).HasColumnName("allocations");
        builder.Property(c => c.UpdatedAt).HasColumnName("updated_at");
        // A node near a user's quota sums that user's rows on the other nodes.
        builder.HasIndex(c => new { c.Realm, c.QuotaUser }).HasDatabaseName("ix_turnstone_cluster_user_count_user");
    }
}
