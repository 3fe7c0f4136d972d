using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class DeniedPeerIpConfiguration : IEntityTypeConfiguration<DeniedPeerIp>
{
    public void Configure(EntityTypeBuilder<DeniedPeerIp> builder)
    {
        // coturn: denied_peer_ip(realm varchar(127) default '', ip_range varchar(256), primary key (realm, ip_range)).
        builder.ToTable("denied_peer_ip");
        builder.HasKey(r => new { r.Realm, r.IpRange }).HasName("denied_peer_ip_pkey");
        builder.Property(r => r.Realm).HasColumnName("realm").HasMaxLength(127).HasDefaultValue("");
        builder.Property(r => r.IpRange).HasColumnName("ip_range").HasMaxLength(256);
    }
}
