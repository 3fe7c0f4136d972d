using System.Reflection;
using Admin.Data;
using Turn.Protocol;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Architecture;

/// <summary>
/// Turn.Protocol &lt;- Turn.Relay, Turn.Relay.Seams &lt;- Turn.Relay, Turn.Relay.Seams and Turn.Protocol &lt;- Admin.Data
/// &lt;- Admin.Web: the relay engine and its seams must stay usable without EF Core, ASP.NET Core, Npgsql or the admin
/// projects. <see cref="SeamBoundaryTests"/> holds the rules about the seams themselves.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly string[] ForbiddenForEngine = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql", "Admin."];

    public static TheoryData<string> EngineAssemblies => new()
    {
        typeof(LongTermKey).Assembly.GetName().Name!,
        typeof(RelayOptions).Assembly.GetName().Name!,
        typeof(ICredentialStore).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(EngineAssemblies))]
    public void EngineAssembly_References_NoDatabaseWebOrAdminAssembly(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var offending = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => ForbiddenForEngine.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.True(offending.Count == 0, $"{assemblyName} references {string.Join(", ", offending)}");
    }

    [Fact]
    public void EngineAssemblies_AreTheExpectedOnes()
    {
        // Guards the theory above against testing the wrong assemblies after a rename.
        Assert.Equal("Turn.Protocol", typeof(LongTermKey).Assembly.GetName().Name);
        Assert.Equal("Turn.Relay", typeof(RelayOptions).Assembly.GetName().Name);
        Assert.Equal("Turn.Relay.Seams", typeof(ICredentialStore).Assembly.GetName().Name);
    }

    [Fact]
    public void AdminData_References_NoAspNetCore()
    {
        var referenced = typeof(AdminDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(referenced, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, name => name.StartsWith("Admin.Web", StringComparison.Ordinal) || name == "turnstone");
        // It does use EF Core: the test would be vacuous if the references had not been read.
        Assert.Contains(referenced, name => name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }
}
