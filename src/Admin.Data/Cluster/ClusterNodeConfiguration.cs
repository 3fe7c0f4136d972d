using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Cluster;

internal sealed class ClusterNodeConfiguration : IEntityTypeConfiguration<ClusterNode>
{
    public void Configure(EntityTypeBuilder<ClusterNode> builder)
    {
        builder.ToTable("turnstone_node");
        builder.HasKey(n => n.Name);
        builder.Property(n => n.Name).HasColumnName("name").HasMaxLength(64);
        builder.Property(n => n.UdpAddresses).HasColumnName("udp");
        builder.Property(n => n.TcpAddresses).HasColumnName("tcp");
        builder.Property(n => n.TlsAddresses).HasColumnName("tls");
        builder.Property(n => n.InternalUrl).HasColumnName("internal_url").HasMaxLength(2048);
        builder.Property(n => n.Version).HasColumnName("version").HasMaxLength(64);
        builder.Property(n => n.StartedAt).HasColumnName("started_at");
        builder.Property(n => n.HeartbeatAt).HasColumnName("heartbeat_at");
        builder.Property(n => n.Draining).HasColumnName("draining");
        builder.Property(n => n.Full).HasColumnName("full");
        builder.Property(n => n.Allocations).HasColumnName("allocations");
        builder.Property(n => n.BitsPerSecondIn).HasColumnName("bits_per_second_in");
        builder.Property(n => n.BitsPerSecondOut).HasColumnName("bits_per_second_out");
        builder.Property(n => n.CertificateExpiry).HasColumnName("certificate_expiry");
        // The expiry sweep deletes by heartbeat age.
        builder.HasIndex(n => n.HeartbeatAt).HasDatabaseName("ix_turnstone_node_heartbeat_at");
    }
}
