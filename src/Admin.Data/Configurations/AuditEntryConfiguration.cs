using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Admin.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("turnstone_audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(a => a.At).HasColumnName("at").HasDefaultValueSql("now()");
        builder.Property(a => a.Admin).HasColumnName("admin").HasMaxLength(64);
        builder.Property(a => a.Action).HasColumnName("action").HasMaxLength(64);
        builder.Property(a => a.Target).HasColumnName("target").HasMaxLength(1024);
        builder.Property(a => a.Realm).HasColumnName("realm").HasMaxLength(127);
        builder.Property(a => a.Details).HasColumnName("details").HasColumnType("jsonb");
        builder.Property(a => a.ClientAddress).HasColumnName("client_address").HasMaxLength(128);
        // The audit page filters by time, realm and admin, newest first.
        builder.HasIndex(a => a.At).HasDatabaseName("ix_turnstone_audit_log_at").IsDescending();
        builder.HasIndex(a => new { a.Realm, a.At }).HasDatabaseName("ix_turnstone_audit_log_realm_at").IsDescending(false, true);
        builder.HasIndex(a => new { a.Admin, a.At }).HasDatabaseName("ix_turnstone_audit_log_admin_at").IsDescending(false, true);
    }
}
