using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class TurnSecretConfiguration : IEntityTypeConfiguration<TurnSecret>
{
    public void Configure(EntityTypeBuilder<TurnSecret> builder)
    {
        // coturn: turn_secret(realm varchar(127) default '', value varchar(256), primary key (realm, value)).
        builder.ToTable("turn_secret");
        builder.HasKey(s => new { s.Realm, s.Value }).HasName("turn_secret_pkey");
        builder.Property(s => s.Realm).HasColumnName("realm").HasMaxLength(127).HasDefaultValue("");
        builder.Property(s => s.Value).HasColumnName("value").HasMaxLength(256);
        builder.Property(s => s.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
    }
}
