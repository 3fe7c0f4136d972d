using System.Reflection;
using Admin.Data;
using Admin.Web.Api.IceServers;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Architecture;

/// <summary>
/// The seams are the engine's whole surface for the rest: Turn.Relay.Seams stands on the base class library alone,
/// Admin.Data sees only the seams (never the engine's sockets, epoll or TLS code), and Admin.Web names the engine
/// itself only to register it and to read its options. Checked from the built assemblies.
/// </summary>
public sealed class SeamBoundaryTests
{
    /// <summary>What Admin.Web may name in Turn.Relay; everything else it reaches through Turn.Relay.Seams.</summary>
    private static readonly HashSet<string> AdminWebMayName = new(StringComparer.Ordinal)
    {
        "Turn.Relay.RelayServiceCollectionExtensions",
        "Turn.Relay.RelayOptions",
    };

    private static readonly Assembly Seams = typeof(IRelayStatus).Assembly;
    private static readonly Assembly Engine = typeof(RelayOptions).Assembly;
    private static readonly Assembly AdminData = typeof(AdminDbContext).Assembly;
    private static readonly Assembly AdminWeb = typeof(IceServerUrls).Assembly;

    [Fact]
    public void Assemblies_AreTheExpectedOnes()
    {
        // Guards the rules below against checking the wrong assemblies after a move or rename.
        Assert.Equal("Turn.Relay.Seams", Seams.GetName().Name);
        Assert.Equal("Turn.Relay", Engine.GetName().Name);
        Assert.Equal("Admin.Data", AdminData.GetName().Name);
        Assert.Equal("turnstone", AdminWeb.GetName().Name);
    }

    [Fact]
    public void Seams_Reference_OnlyTheBaseClassLibrary()
    {
        var offending = Seams.GetReferencedAssemblies().Select(a => a.Name!).Where(name => !IsBaseClassLibrary(name)).ToList();

        Assert.True(offending.Count == 0,
            $"Turn.Relay.Seams must depend on the base class library only, but references {string.Join(", ", offending)}.");
    }

    [Fact]
    public void AdminData_References_TheSeams_NotTheEngine()
    {
        var referenced = AdminData.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.False(referenced.Contains(Engine.GetName().Name!),
            "Admin.Data references Turn.Relay; it may use only Turn.Relay.Seams (and Turn.Protocol). Types it names there: "
            + string.Join(", ", EngineTypeReferences.Into(AdminData, Engine.GetName().Name!)));
        // It does use the seams (the stores it implements): the rule would be vacuous if the references had not been read.
        Assert.Contains(Seams.GetName().Name!, referenced);
    }

    [Fact]
    public void AdminWeb_NamesInTheEngine_OnlyItsRegistrationAndOptions()
    {
        var named = EngineTypeReferences.Into(AdminWeb, Engine.GetName().Name!);
        var offending = named.Where(name => !AdminWebMayName.Contains(name)).ToList();

        Assert.True(offending.Count == 0,
            $"Admin.Web (turnstone) names Turn.Relay types beyond the registration extension and options: {string.Join(", ", offending)}. "
            + "Reach the engine through an interface in Turn.Relay.Seams instead, or add a seam for it.");
        // It does register the engine: the rule would be vacuous if the metadata had not been read.
        Assert.Contains("Turn.Relay.RelayServiceCollectionExtensions", named);
    }

    [Fact]
    public void EngineTypeReferences_FindsTypesNamedInAnotherAssembly()
    {
        // The reader itself: Admin.Web uses the seams, so it must find them.
        var named = EngineTypeReferences.Into(AdminWeb, Seams.GetName().Name!);

        Assert.Contains("Turn.Relay.Seams.IRelayStatus", named);
        Assert.Contains("Turn.Relay.Seams.IRelayState", named);
    }

    private static bool IsBaseClassLibrary(string name) =>
        name is "System" or "mscorlib" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal);
}
