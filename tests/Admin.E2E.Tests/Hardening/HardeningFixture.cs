using Admin.E2E.Tests.Hosting;

namespace Admin.E2E.Tests.Hardening;

/// <summary>
/// The real app behind a (pretend) reverse proxy on 127.0.0.1, so tests choose client addresses with
/// X-Forwarded-For; a small sign-in burst (3) and the metrics listener with a bearer token.
/// </summary>
public sealed class HardeningFixture : IAsyncLifetime
{
    public const string MetricsToken = "hardening-metrics-token-0123";

    private TestApp _app = null!;

    public TestApp App => _app;

    public async Task InitializeAsync() =>
        _app = await new AppFixtureBuilder("hardening")
            .With("Portal:Proxy:KnownProxies:0", "127.0.0.1")
            .With("Portal:Login:AddressBurst", "3")
            .With("Portal:Login:MaxFailedAttempts", "3")
            .With("Metrics:BearerToken", MetricsToken)
            .WithAppConfiguredKestrel()
            .WithMetricsListener()
            .StartAsync();

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;
}
