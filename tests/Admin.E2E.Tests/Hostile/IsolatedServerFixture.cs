using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// A served turnstone of one test class's own, for checks that read the server's whole log: nothing another class
/// sent (mutants, floods) can have put a line there.
/// </summary>
public sealed class IsolatedServerFixture : IAsyncLifetime
{
    private readonly TestCertificateAuthority _authority = new();

    internal ServedTurnstone Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServedTurnstone.StartAsync(_authority);

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        _authority.Dispose();
    }
}
