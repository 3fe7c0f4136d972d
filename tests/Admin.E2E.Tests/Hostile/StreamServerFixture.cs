using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hostile;

/// <summary>A served turnstone with small stream limits and short timeouts (<see cref="StreamLimitSettings"/>) for the stream attacks.</summary>
public sealed class StreamServerFixture : IAsyncLifetime
{
    private readonly TestCertificateAuthority _authority = new();

    internal ServedTurnstone Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServedTurnstone.StartAsync(_authority, StreamLimitSettings.Settings);

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        _authority.Dispose();
    }
}
