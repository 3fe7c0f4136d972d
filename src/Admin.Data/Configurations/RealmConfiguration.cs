using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class RealmConfiguration : IEntityTypeConfiguration<Realm>
{
    public void Configure(EntityTypeBuilder<Realm> builder)
    {
        // No foreign keys from coturn's tables to this one: coturn's turnadmin inserts users for any realm.
        builder.ToTable("turnstone_realm");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(127);
        builder.Property(r => r.Description).HasColumnName("description").HasMaxLength(1000).HasDefaultValue("");
        builder.Property(r => r.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        builder.Property(r => r.Version).IsRowVersion();
    }
}
