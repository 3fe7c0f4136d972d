using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class AdminUserConfiguration : IEntityTypeConfiguration<AdminUser>
{
    public void Configure(EntityTypeBuilder<AdminUser> builder)
    {
        // coturn: admin_user(name varchar(32), realm varchar(127), password varchar(127), primary key (name)).
        builder.ToTable("admin_user");
        builder.HasKey(a => a.Name).HasName("admin_user_pkey");
        builder.Property(a => a.Name).HasColumnName("name").HasMaxLength(32);
        builder.Property(a => a.Realm).HasColumnName("realm").HasMaxLength(127);
        builder.Property(a => a.Password).HasColumnName("password").HasMaxLength(127);
        // Turnstone's columns, with defaults so coturn's turnadmin INSERTs keep working.
        builder.Property(a => a.FailedLoginCount).HasColumnName("failed_login_count").HasDefaultValue(0);
        builder.Property(a => a.LockoutUntil).HasColumnName("lockout_until");
        builder.Property(a => a.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        builder.Property(a => a.LastLoginAt).HasColumnName("last_login_at");
        builder.Property(a => a.SessionEpoch).HasColumnName("session_epoch").HasDefaultValue(0);
        builder.Property(a => a.Theme).HasColumnName("theme").HasMaxLength(8);
        builder.Property(a => a.Version).IsRowVersion();
        builder.HasMany(a => a.ApiTokens).WithOne(t => t.Admin).HasForeignKey(t => t.AdminName).OnDelete(DeleteBehavior.Cascade);
    }
}
