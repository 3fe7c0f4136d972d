using Admin.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Hosting;

/// <summary>What AddRelayWiring changes in the serve host's configuration (no database needed: nothing starts).</summary>
public sealed class RelayWiringTests
{
    private const string ConnectionString = "--ConnectionStrings:Admin=Host=127.0.0.1;Port=1;Database=unused;Username=unused";

    [Fact]
    public async Task GeneratedTlsCertificate_DefaultsToTheDataDirectory()
    {
        var data = Path.Combine(Path.GetTempPath(), "turnstone-wiring-" + Guid.NewGuid().ToString("N"));
        await using var app = TurnstoneHost.CreateWebApplication([ConnectionString, $"--Turnstone:DataDirectory={data}"]);

        var options = app.Services.GetRequiredService<IOptions<RelayOptions>>().Value;

        Assert.Equal(Path.Combine(Path.GetFullPath(data), "tls"), options.TlsGeneratedDirectory);
        Assert.True(app.Services.GetRequiredService<IOptions<RevocationOptions>>().Value.TerminateSessionsOnRevoke);
    }

    [Fact]
    public async Task GeneratedTlsDirectory_ConfiguredExplicitly_IsKept()
    {
        var tls = Path.Combine(Path.GetTempPath(), "turnstone-wiring-tls");
        await using var app = TurnstoneHost.CreateWebApplication([ConnectionString, $"--Relay:TlsGeneratedDirectory={tls}", "--Turnstone:TerminateSessionsOnRevoke=false"]);

        Assert.Equal(tls, app.Services.GetRequiredService<IOptions<RelayOptions>>().Value.TlsGeneratedDirectory);
        Assert.False(app.Services.GetRequiredService<IOptions<RevocationOptions>>().Value.TerminateSessionsOnRevoke);
    }

    [Fact]
    public async Task TerminateSessionsOnRevoke_NotABoolean_StopsWithTheKeyNamed()
    {
        await using var app = TurnstoneHost.CreateWebApplication([ConnectionString, "--Turnstone:TerminateSessionsOnRevoke=maybe"]);

        var error = Assert.ThrowsAny<InvalidOperationException>(() => app.Services.GetRequiredService<IOptions<RevocationOptions>>().Value);

        Assert.Contains("Turnstone:TerminateSessionsOnRevoke", error.Message);
    }

    [Fact]
    public async Task RealmDirectory_IsThePostgresSnapshot_WithTheConfiguredDefaultRealm()
    {
        await using var app = TurnstoneHost.CreateWebApplication([ConnectionString, "--Relay:DefaultRealm=default.example"]);

        var directory = app.Services.GetRequiredService<IRealmDirectory>();

        Assert.IsType<Admin.Data.Realms.PostgresRealmDirectory>(directory);
        Assert.True(directory.RealmExists("default.example"));
        Assert.False(directory.RealmExists("turnstone"));
    }
}
