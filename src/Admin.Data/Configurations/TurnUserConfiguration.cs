using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class TurnUserConfiguration : IEntityTypeConfiguration<TurnUser>
{
    public void Configure(EntityTypeBuilder<TurnUser> builder)
    {
        // Key named as PostgreSQL names coturn's own (turnusers_lt_pkey), so an imported coturn database matches the model.
        // coturn: turnusers_lt(realm varchar(127) default '', name varchar(512), hmackey char(128), primary key (realm, name)).
        builder.ToTable("turnusers_lt");
        builder.HasKey(u => new { u.Realm, u.Name }).HasName("turnusers_lt_pkey");
        builder.Property(u => u.Realm).HasColumnName("realm").HasMaxLength(127).HasDefaultValue("");
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(512);
        // char(128) leaves room for coturn's SHA-256/384/512 keys; PostgreSQL pads it with blanks, which we trim on read.
        builder.Property(u => u.HmacKey).HasColumnName("hmackey").HasColumnType("char(128)")
            .HasConversion(v => v, v => v == null ? null : v.TrimEnd());
        // Turnstone's columns: defaults so coturn's own INSERTs (realm, name, hmackey) keep working.
        builder.Property(u => u.Disabled).HasColumnName("disabled").HasDefaultValue(false);
        builder.Property(u => u.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.Property(u => u.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        builder.Property(u => u.UserHash).HasColumnName("userhash");
        builder.Property(u => u.Version).IsRowVersion();
        // The Users page (search, order, paging) uses the expression index ix_turnusers_lt_realm_lower_name_c
        // (realm, lower(name) COLLATE "C", name COLLATE "C") and the trigger-kept turnstone_realm_user_count, both
        // created in migration SQL because EF cannot model them.
        builder.HasIndex(u => u.UserHash).HasDatabaseName("ix_turnusers_lt_userhash");
    }
}
