using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class RelayNodeConfiguration : IEntityTypeConfiguration<RelayNode>
{
    public void Configure(EntityTypeBuilder<RelayNode> builder)
    {
        builder.ToTable("turnstone_relay_node");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasColumnName("id").HasMaxLength(64);
        builder.Property(n => n.HostName).HasColumnName("host_name").HasMaxLength(255);
        builder.Property(n => n.Version).HasColumnName("version").HasMaxLength(64);
        builder.Property(n => n.StartedAt).HasColumnName("started_at");
        builder.Property(n => n.LastSeenAt).HasColumnName("last_seen_at");
    }
}
