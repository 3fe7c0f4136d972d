using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class OAuthKeyConfiguration : IEntityTypeConfiguration<OAuthKey>
{
    public void Configure(EntityTypeBuilder<OAuthKey> builder)
    {
        // coturn: oauth_key(kid varchar(128), ikm_key varchar(256), timestamp bigint default 0,
        // lifetime integer default 0, as_rs_alg varchar(64) default '', realm varchar(127), primary key (kid)).
        builder.ToTable("oauth_key");
        builder.HasKey(k => k.Kid).HasName("oauth_key_pkey");
        builder.Property(k => k.Kid).HasColumnName("kid").HasMaxLength(128);
        builder.Property(k => k.IkmKey).HasColumnName("ikm_key").HasMaxLength(256);
        builder.Property(k => k.Timestamp).HasColumnName("timestamp").HasDefaultValue(0L);
        builder.Property(k => k.Lifetime).HasColumnName("lifetime").HasDefaultValue(0);
        builder.Property(k => k.AsRsAlg).HasColumnName("as_rs_alg").HasMaxLength(64).HasDefaultValue("");
        builder.Property(k => k.Realm).HasColumnName("realm").HasMaxLength(127);
    }
}
