using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class OriginToRealmConfiguration : IEntityTypeConfiguration<OriginToRealm>
{
    public void Configure(EntityTypeBuilder<OriginToRealm> builder)
    {
        // coturn: turn_origin_to_realm(origin varchar(127), realm varchar(127), primary key (origin)).
        builder.ToTable("turn_origin_to_realm");
        builder.HasKey(o => o.Origin).HasName("turn_origin_to_realm_pkey");
        builder.Property(o => o.Origin).HasColumnName("origin").HasMaxLength(127);
        builder.Property(o => o.Realm).HasColumnName("realm").HasMaxLength(127);
    }
}
