using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hostile;

/// <summary>One served turnstone with default limits for the datagram attacks and the admin-rights cases, and its credential SELECT counter.</summary>
public sealed class HostileServerFixture : IAsyncLifetime
{
    private readonly TestCertificateAuthority _authority = new();

    internal ServedTurnstone Server { get; private set; } = null!;

    internal CredentialQueryCounter Counter { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServedTurnstone.StartAsync(_authority);
        Counter = await CredentialQueryCounter.CreateAsync(Server.Database);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        _authority.Dispose();
    }
}
