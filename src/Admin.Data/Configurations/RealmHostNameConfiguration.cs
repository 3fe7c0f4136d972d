using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class RealmHostNameConfiguration : IEntityTypeConfiguration<RealmHostName>
{
    public void Configure(EntityTypeBuilder<RealmHostName> builder)
    {
        // The primary key makes a host name belong to one realm at most, whoever adds it (the service checks first
        // to give a clear answer; the key decides a race). No foreign key, like coturn's tables keyed by realm.
        builder.ToTable("turnstone_realm_host_name");
        builder.HasKey(h => h.HostName);
        builder.Property(h => h.HostName).HasColumnName("host_name").HasMaxLength(253);
        builder.Property(h => h.Realm).HasColumnName("realm").HasMaxLength(127);
        builder.Property(h => h.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.HasIndex(h => h.Realm).HasDatabaseName("ix_turnstone_realm_host_name_realm");
    }
}
