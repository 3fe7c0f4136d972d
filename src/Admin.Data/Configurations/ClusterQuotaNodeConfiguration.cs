using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class ClusterQuotaNodeConfiguration : IEntityTypeConfiguration<ClusterQuotaNode>
{
    public void Configure(EntityTypeBuilder<ClusterQuotaNode> builder)
    {
        builder.ToTable("turnstone_cluster_quota_node");
        builder.HasKey(n => n.Node);
        builder.Property(n => n.Node).HasColumnName("node").HasMaxLength(64);
        builder.Property(n => n.HeartbeatAt).HasColumnName("heartbeat_at");
    }
}
