namespace Turnstone.TestSupport.Clients;

/// <summary>
/// Headless Chromium with an NSS database that trusts one test CA, started on first use and shared by every test of
/// a fixture (a browser start costs seconds). Both interop hosts' fixtures hold one.
/// </summary>
/// <param name="hostResolverRules">Extra Chromium --host-resolver-rules (host names mapped to loopback), or null.</param>
public sealed class TrustingBrowser(string caCertificatePem, string? hostResolverRules = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ChromiumTrustStore? _trustStore;
    private WebRtcRelayPage? _browser;

    public async Task<WebRtcRelayPage> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _trustStore = await ChromiumTrustStore.CreateAsync(caCertificatePem);
                _browser = await WebRtcRelayPage.LaunchAsync(_trustStore, hostResolverRules);
            }
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _trustStore?.Dispose();
        _gate.Dispose();
    }
}
