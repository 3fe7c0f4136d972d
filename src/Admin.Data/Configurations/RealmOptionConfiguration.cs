using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class RealmOptionConfiguration : IEntityTypeConfiguration<RealmOption>
{
    public void Configure(EntityTypeBuilder<RealmOption> builder)
    {
        // coturn: turn_realm_option(realm varchar(127) default '', opt varchar(32), value varchar(128), primary key (realm, opt)).
        builder.ToTable("turn_realm_option");
        builder.HasKey(o => new { o.Realm, o.Opt }).HasName("turn_realm_option_pkey");
        builder.Property(o => o.Realm).HasColumnName("realm").HasMaxLength(127).HasDefaultValue("");
        builder.Property(o => o.Opt).HasColumnName("opt").HasMaxLength(32);
        builder.Property(o => o.Value).HasColumnName("value").HasMaxLength(128);
    }
}
