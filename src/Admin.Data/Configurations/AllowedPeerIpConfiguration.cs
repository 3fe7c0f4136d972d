using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class AllowedPeerIpConfiguration : IEntityTypeConfiguration<AllowedPeerIp>
{
    public void Configure(EntityTypeBuilder<AllowedPeerIp> builder)
    {
        // coturn: allowed_peer_ip(realm varchar(127) default '', ip_range varchar(256), primary key (realm, ip_range)).
        builder.ToTable("allowed_peer_ip");
        builder.HasKey(r => new { r.Realm, r.IpRange }).HasName("allowed_peer_ip_pkey");
        builder.Property(r => r.Realm).HasColumnName("realm").HasMaxLength(127).HasDefaultValue("");
        builder.Property(r => r.IpRange).HasColumnName("ip_range").HasMaxLength(256);
    }
}
