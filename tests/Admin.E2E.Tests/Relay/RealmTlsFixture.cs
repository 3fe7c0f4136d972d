using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Admin.Data.Administration;
using Admin.E2E.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Seams;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// `turnstone serve` with TURN over TLS and two realms, each reached by its own host name (turn.&lt;realm&gt;) with its
/// own certificate from a test CA (Relay:TlsCertificates, behind certbot-style "live" symbolic links that a test may
/// move to a renewed certificate; reloaded every second), a stored user that only its realm has, a REST secret, and
/// the second realm mapped from an ORIGIN. Chromium trusts the CA and resolves both host names to 127.0.0.1.
/// </summary>
public sealed class RealmTlsFixture : IAsyncLifetime
{
    public const string First = "alpha.tenant.test";
    public const string Second = "beta.tenant.test";
    public const string SecondOrigin = "https://app.beta.tenant.test";
    public const string UserPassword = "tenant-Passw0rd";

    private readonly TestCertificateAuthority _authority = new("Turnstone Realm TLS Test CA");
    private readonly string _certificates = Directory.CreateTempSubdirectory("turnstone-realm-tls-").FullName;
    private TestApp _app = null!;
    private TrustingBrowser? _browser;

    public HttpClient Api { get; private set; } = null!;

    public int TurnPort => _app.TurnPort;

    public int TlsPort => _app.TlsPort;

    public IPEndPoint TlsEndPoint => new(IPAddress.Loopback, TlsPort);

    public IPEndPoint UdpEndPoint => new(IPAddress.Loopback, TurnPort);

    public X509Certificate2 Authority => _authority.Certificate;

    public IRelayState RelayState => _app.Services.GetRequiredService<IRelayState>();

    public string DefaultRealm => _app.Get<IOptions<RelayOptions>>().Value.DefaultRealm;

    public T Get<T>() where T : notnull => _app.Get<T>();

    /// <summary>The portal's address (sign in as "admin" with <see cref="AppFixtureBuilder.DefaultAdminPassword"/>).</summary>
    public Uri PortalAddress => _app.BaseAddress;

    /// <summary>The host name clients reach <paramref name="realm"/> by.</summary>
    public static string HostName(string realm) => "turn." + realm;

    /// <summary>The stored long-term user that only <paramref name="realm"/> has.</summary>
    public static string UserOf(string realm) => "user-" + realm.Split('.')[0];

    private string LiveDirectory => Path.Combine(_certificates, "live");

    /// <summary>The certificate the relay should present for <paramref name="realm"/> now: the one its live link points to.</summary>
    public X509Certificate2 CurrentCertificate(string realm) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(LiveDirectory, realm, "fullchain.pem")));

    /// <summary>
    /// certbot's renewal of <paramref name="realm"/>'s certificate: a new key and certificate in a new archive
    /// directory, then each live link replaced by an atomic rename (key first).
    /// </summary>
    public X509Certificate2 RenewCertificate(string realm)
    {
        var (certificate, key) = Issue(realm);
        ReplaceLink(Path.Combine(LiveDirectory, realm, "privkey.pem"), key);
        ReplaceLink(Path.Combine(LiveDirectory, realm, "fullchain.pem"), certificate);
        return CurrentCertificate(realm);
    }

    public async Task InitializeAsync()
    {
        var builder = new AppFixtureBuilder("realm-tls").AllowLoopbackPeers().WithRelayPorts(200).WithTls(_authority)
            .With("Relay:TlsReloadIntervalSeconds", "1");
        var index = 0;
        foreach (var realm in new[] { First, Second })
        {
            var (certificate, key) = Issue(realm);
            var live = Directory.CreateDirectory(Path.Combine(LiveDirectory, realm)).FullName;
            File.CreateSymbolicLink(Path.Combine(live, "fullchain.pem"), certificate);
            File.CreateSymbolicLink(Path.Combine(live, "privkey.pem"), key);
            var prefix = $"Relay:TlsCertificates:{index.ToString(CultureInfo.InvariantCulture)}:";
            builder.With(prefix + "CertificatePath", Path.Combine(live, "fullchain.pem")).With(prefix + "KeyPath", Path.Combine(live, "privkey.pem"));
            index++;
        }
        _app = await builder.StartAsync();

        var system = AdminActor.System;
        foreach (var realm in new[] { First, Second })
        {
            await _app.Get<RealmAdministration>().AddAsync(system, realm, "tenant", CancellationToken.None);
            await _app.Get<RealmEntryPoints>().AddHostNameAsync(system, realm, HostName(realm), CancellationToken.None);
            await _app.Get<UserAdministration>().AddAsync(system, realm, UserOf(realm), UserPassword, CancellationToken.None);
            await _app.Get<SecretAdministration>().GenerateAsync(system, realm, CancellationToken.None);
        }
        await _app.Get<RealmAdministration>().AddOriginAsync(system, Second, SecondOrigin, CancellationToken.None);
        var token = await _app.Get<ApiTokenAdministration>().CreateAsync(system, "admin", "realm tls", null, CancellationToken.None);
        Api = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        await WaitForTheRealmDirectoryAsync();
        _browser = new TrustingBrowser(_authority.CertificatePem, $"MAP {HostName(First)} 127.0.0.1, MAP {HostName(Second)} 127.0.0.1");
    }

    // The relay's realm directory learns host names from the database shortly after they were added: the tests start
    // once each host name's SNI draws a 401 offering its realm.
    private async Task WaitForTheRealmDirectoryAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        foreach (var realm in new[] { First, Second })
        {
            await using var client = await RawTurnClient.TlsAsync(TlsEndPoint, HostName(realm), Authority);
            while ((await client.RequestAsync(Turn.Protocol.StunMethod.Allocate, (ref Turn.Protocol.StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false)).Realm != realm)
            {
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"SNI {HostName(realm)} still does not offer realm {realm}.");
                await Task.Delay(200);
            }
        }
    }

    public Task<WebRtcRelayPage> BrowserAsync() => _browser!.GetAsync();

    private (string CertificatePath, string KeyPath) Issue(string realm) =>
        _authority.IssueHostCertificate(Path.Combine(_certificates, "archive", realm, Guid.NewGuid().ToString("N")), "cert", HostName(realm));

    private static void ReplaceLink(string link, string target)
    {
        var temporary = link + ".new";
        File.CreateSymbolicLink(temporary, target);
        File.Move(temporary, link, overwrite: true);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        Api?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _authority.Dispose();
        Directory.Delete(_certificates, recursive: true);
    }
}
