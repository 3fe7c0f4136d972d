using System.Net.Http.Headers;
using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// A default single-port install (one UDP/TCP port, Relay:DefaultRealm left at "turnstone") with two more realms,
/// each with a stored user and a TURN REST secret, an API token to vend credentials with, and headless Chromium.
/// Loopback peers are allowed: the other browser's relay address is 127.0.0.1.
/// </summary>
public sealed class TwoRealmsFixture : IAsyncLifetime
{
    public const string First = "alpha.tenant.test";
    public const string Second = "beta.tenant.test";
    public const string UserPassword = "tenant-Passw0rd";

    private TestApp _app = null!;
    private WebRtcRelayPage? _browser;

    public HttpClient Api { get; private set; } = null!;

    public int TurnPort => _app.TurnPort;

    public IRelayState RelayState => _app.Services.GetRequiredService<IRelayState>();

    public T Get<T>() where T : notnull => _app.Get<T>();

    public async Task InitializeAsync()
    {
        _app = await new AppFixtureBuilder("two-realms").AllowLoopbackPeers().WithRelayPorts(200).StartAsync();
        var system = AdminActor.System;
        foreach (var realm in new[] { First, Second })
        {
            await _app.Get<RealmAdministration>().AddAsync(system, realm, "tenant", CancellationToken.None);
            await _app.Get<UserAdministration>().AddAsync(system, realm, "alice", UserPassword, CancellationToken.None);
            await _app.Get<SecretAdministration>().GenerateAsync(system, realm, CancellationToken.None);
        }
        var token = await _app.Get<ApiTokenAdministration>().CreateAsync(system, "admin", "two realms", null, CancellationToken.None);
        Api = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
    }

    public async Task<WebRtcRelayPage> BrowserAsync() => _browser ??= await WebRtcRelayPage.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        Api?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
