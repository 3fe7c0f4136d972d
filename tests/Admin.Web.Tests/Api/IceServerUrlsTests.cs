using System.Net;
using Admin.Data.Administration;
using Admin.Web.Api;
using Admin.Web.Api.IceServers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Api;

/// <summary>
/// The URLs vended with credentials: the realm's host names, the real bound ports, turns: only where a certificate
/// browsers accept is presented, and refusals (Conflict, with the field) instead of URLs that cannot work.
/// </summary>
public sealed class IceServerUrlsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly StubStatus _status = new();
    private readonly StubCertificates _certificates = new();
    private readonly ApiOptions _api = new();
    private readonly RelayOptions _relay = new() { Port = 0, TlsPort = 0, ListenAddresses = [] };

    [Fact]
    public void HostNames_UsedWithTheBoundPorts_TurnsOnlyForTheHostWithATrustedCertificate()
    {
        _status.Bind("0.0.0.0", 40000, tlsPort: 40001);
        _certificates.Add(Certificate(["turn-b.tenant.example"]));

        var urls = Urls().For("tenant.example", ["turn-a.tenant.example", "turn-b.tenant.example"], "portal.example");

        Assert.Equal(
            ["turn:turn-b.tenant.example:40000?transport=udp", "turn:turn-b.tenant.example:40000?transport=tcp", "turns:turn-b.tenant.example:40001?transport=tcp"],
            urls);
    }

    [Fact]
    public void GeneratedOrExpiredOrOtherNamesCertificate_NoTurns_AndRefusedWhenAskedFor()
    {
        _status.Bind("0.0.0.0", 40000, tlsPort: 40001);
        _certificates.Add(Certificate(["turn.tenant.example"], generated: true));
        _certificates.Add(Certificate(["turn.tenant.example"], notAfter: Now.AddSeconds(-1)));
        _certificates.Add(Certificate(["*.other.example"]));

        var urls = Urls().For("tenant.example", ["turn.tenant.example"], "portal.example");
        var refused = Assert.Throws<AdminOperationException>(() => Urls().For("tenant.example", ["turn.tenant.example"], "portal.example", turns: true));

        Assert.DoesNotContain(urls, u => u.StartsWith("turns:", StringComparison.Ordinal));
        Assert.Equal(AdminErrorCode.Conflict, refused.Code);
        Assert.Equal("turns", refused.Field);
        Assert.Contains("self-signed", refused.Message);
    }

    [Fact]
    public void WildcardCertificate_CoversOneLabel()
    {
        _status.Bind("0.0.0.0", 40000, tlsPort: 40001);
        _certificates.Add(Certificate(["*.tenant.example"]));

        Assert.Contains("turns:turn.tenant.example:40001?transport=tcp", Urls().For("tenant.example", ["turn.tenant.example"], "p", turns: true));
        Assert.Throws<AdminOperationException>(() => Urls().For("tenant.example", ["a.turn.tenant.example"], "p", turns: true));
    }

    [Fact]
    public void NoTrustedCertificateService_TurnsRefusedWhenAskedFor()
    {
        _status.Bind("0.0.0.0", 40000, tlsPort: 40001);

        var refused = Assert.Throws<AdminOperationException>(() => Urls(withCertificates: false).For("r.example", ["turn.r.example"], "p", turns: true));

        Assert.Equal("turns", refused.Field);
    }

    [Fact]
    public void NoHostNames_ConfiguredPublicHost_ThenAddressRealm_ThenRequestHost()
    {
        _status.Bind("0.0.0.0", 40000);
        _relay.AddressRealms.Add("198.18.0.7=tenant.example");

        Assert.Equal("turn:198.18.0.7:40000?transport=udp", Urls().For("tenant.example", [], "portal.example")[0]);
        Assert.Equal("turn:portal.example:40000?transport=udp", Urls().For("other.example", [], "portal.example")[0]);
        _api.IceServerHost = "turn.public.example";
        Assert.Equal("turn:turn.public.example:40000?transport=udp", Urls().For("tenant.example", [], "portal.example")[0]);
    }

    [Fact]
    public void LoopbackRequestHost_RefusedUnlessTheRelayListensOnLoopbackOnly()
    {
        _status.Bind("0.0.0.0", 40000);
        var refused = Assert.Throws<AdminOperationException>(() => Urls().For("tenant.example", [], "127.0.0.1"));
        Assert.Equal(AdminErrorCode.Conflict, refused.Code);
        Assert.Contains("Api:IceServerHost", refused.Message);
        Assert.Throws<AdminOperationException>(() => Urls().For("tenant.example", [], "localhost"));

        var loopbackOnly = new StubStatus();
        loopbackOnly.Bind("127.0.0.1", 40000);
        Assert.Equal("turn:127.0.0.1:40000?transport=udp", Urls(status: loopbackOnly).For("tenant.example", [], "127.0.0.1")[0]);
    }

    [Fact]
    public void RelayNotListening_Refused()
    {
        var refused = Assert.Throws<AdminOperationException>(() => Urls().For("tenant.example", ["turn.tenant.example"], "p"));

        Assert.Equal("realm", refused.Field);
        Assert.Contains("not listening", refused.Message);
    }

    [Fact]
    public void RestUsername_DefaultRealmPlain_OtherRealmsCarryTheRealm()
    {
        var directory = new StubDirectory("demo.example", "turnstone");
        var expires = Now.AddHours(1);
        var expiry = expires.ToUnixTimeSeconds();

        Assert.Equal($"{expiry}:alice", RealmRestUsername.Create(expires, "alice", "turnstone", "turnstone", directory));
        Assert.Equal($"{expiry}:alice@app", RealmRestUsername.Create(expires, "alice@app", "turnstone", "turnstone", directory));
        Assert.Equal($"{expiry}:alice@demo.example", RealmRestUsername.Create(expires, "alice", "demo.example", "turnstone", directory));
        Assert.Equal($"{expiry}:@demo.example", RealmRestUsername.Create(expires, "", "demo.example", "turnstone", directory));
        Assert.Equal($"{expiry}", RealmRestUsername.Create(expires, "", "turnstone", "turnstone", directory));
        // A default-realm user that ends in another realm's name gets "@default", or the relay would read that realm.
        Assert.Equal($"{expiry}:bob@demo.example@turnstone", RealmRestUsername.Create(expires, "bob@demo.example", "turnstone", "turnstone", directory));
    }

    private IceServerUrls Urls(bool withCertificates = true, StubStatus? status = null)
    {
        var services = new ServiceCollection();
        if (withCertificates) services.AddSingleton<ITlsCertificateStatus>(_certificates);
        return new IceServerUrls(Options.Create(_api), Options.Create(_relay), new TrustedCertificates(services.BuildServiceProvider(), _time),
            new AddressRealms(Options.Create(_relay)), status ?? _status);
    }

    private static TlsCertificateInfo Certificate(string[] names, bool generated = false, DateTimeOffset? notAfter = null) =>
        new(names, "CN=" + names[0], Now.AddDays(-1), notAfter ?? Now.AddDays(30), generated, "AB", null);

    private sealed class StubStatus : IRelayStatus
    {
        public IReadOnlyList<IPEndPoint> UdpEndPoints { get; private set; } = [];

        public IReadOnlyList<IPEndPoint> TcpEndPoints { get; private set; } = [];

        public IReadOnlyList<IPEndPoint> TlsEndPoints { get; private set; } = [];

        public bool IsListening => UdpEndPoints.Count > 0;
        public bool IsFull => false;

        public void Bind(string address, int port, int tlsPort = 0)
        {
            UdpEndPoints = [new IPEndPoint(IPAddress.Parse(address), port)];
            TcpEndPoints = UdpEndPoints;
            TlsEndPoints = tlsPort == 0 ? [] : [new IPEndPoint(IPAddress.Parse(address), tlsPort)];
        }

        public RelayTrafficTotals GetTrafficTotals() => RelayTrafficTotals.Zero;
    }

    private sealed class StubCertificates : ITlsCertificateStatus
    {
        private readonly List<TlsCertificateInfo> _certificates = [];

        public IReadOnlyList<TlsCertificateInfo> Certificates => _certificates;

        public void Add(TlsCertificateInfo certificate) => _certificates.Add(certificate);
    }

    private sealed class StubDirectory(params string[] realms) : IRealmDirectory
    {
        public string? FindRealmByOrigin(string origin) => null;

        public string? FindRealmByHostName(string hostName) => null;

        public bool RealmExists(string realm) => realms.Contains(realm);
    }
}
