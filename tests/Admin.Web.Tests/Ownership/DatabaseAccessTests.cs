using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Admin.Data;
using Admin.Data.Administration;
using Admin.Web.Auth;

namespace Admin.Web.Tests.Ownership;

/// <summary>
/// Every admin change runs in Admin.Data's services (one transaction, one audit row). Admin.Web keeps that only while
/// it never holds a database context or the audit writer itself: checked in the built assembly's metadata, where any
/// use of those types (a field, a parameter, a call) leaves a type reference.
/// </summary>
public sealed class DatabaseAccessTests
{
    private static readonly string[] Forbidden =
    [
        typeof(AdminDbContext).FullName!,
        typeof(AuditWriter).FullName!,
        "Microsoft.EntityFrameworkCore.DbContext",
        "Microsoft.EntityFrameworkCore.DbSet`1",
        "Microsoft.EntityFrameworkCore.IDbContextFactory`1",
        "Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction",
    ];

    [Fact]
    public void AdminWeb_ReferencesNoDbContextNorAuditWriter()
    {
        var referenced = ReferencedTypes(typeof(AdminPasswordHasher).Assembly.Location);

        Assert.Empty(referenced.Intersect(Forbidden));
        // The reading worked: Admin.Web does use Admin.Data's services.
        Assert.Contains(typeof(AdminAccountAdministration).FullName!, referenced);
    }

    private static HashSet<string> ReferencedTypes(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            var ns = metadata.GetString(type.Namespace);
            names.Add(ns.Length == 0 ? metadata.GetString(type.Name) : ns + "." + metadata.GetString(type.Name));
        }
        return names;
    }
}
