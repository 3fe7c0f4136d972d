using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Realms;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Realms;

public sealed class RealmSelectorTests
{
    private static readonly TransportAddress Remote = TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.9"), 50000);
    private static readonly TransportAddress Local = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"), 3478);
    private static readonly TransportAddress Bound = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.2"), 3478);

    private static RealmSelector Selector()
    {
        var options = new RelayOptions
        {
            DefaultRealm = "default.test",
            AddressRealms = ["192.0.2.2=by-address.test", "2001:db8::2=by-address.test"],
            OriginRealms = ["https://app.example=by-origin.test", "https://other.example:8443=other.test"],
            HostNameRealms = ["turn.tenant.example=by-name.test"],
        };
        return new RealmSelector(new ConfiguredRealmDirectory(Options.Create(options)), new AddressRealmMap(options.AddressRealms), options.DefaultRealm);
    }

    private static string Select(RealmSelector selector, TestStreamConnection connection, params string[] origins)
    {
        var buffer = new byte[2048];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, TransactionId.NewRandom());
        foreach (var origin in origins) writer.WriteAttribute(StunAttributeType.Origin, Encoding.UTF8.GetBytes(origin));
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(buffer.AsSpan(0, writer.Length), out var request));
        return selector.Select(connection, request);
    }

    [Fact]
    public void Select_NothingMatches_IsTheDefault() =>
        Assert.Equal("default.test", Select(Selector(), new TestStreamConnection(Remote, Local), "https://unknown.example"));

    [Theory]
    [InlineData("https://app.example")]
    [InlineData("HTTPS://APP.example:443")]
    [InlineData("https://app.example/some/page")]
    public void Select_OriginInCanonicalForm_IsItsRealm(string origin) =>
        Assert.Equal("by-origin.test", Select(Selector(), new TestStreamConnection(Remote, Local), origin));

    [Fact]
    public void Select_SeveralOrigins_FirstMappedOneWins() =>
        Assert.Equal("other.test", Select(Selector(), new TestStreamConnection(Remote, Local), "https://nope.example", "https://other.example:8443", "https://app.example"));

    [Fact]
    public void Select_OnlyTheFirstEightOriginsAreTried()
    {
        var unmapped = Enumerable.Range(0, 8).Select(i => $"https://n{i}.example").ToList();
        Assert.Equal("by-origin.test", Select(Selector(), new TestStreamConnection(Remote, Local), [.. unmapped.Take(7), "https://app.example"]));
        Assert.Equal("default.test", Select(Selector(), new TestStreamConnection(Remote, Local), [.. unmapped, "https://app.example"]));
    }

    [Fact]
    public void Select_OriginBeatsHostNameAndAddress()
    {
        var connection = new TestStreamConnection(Remote, Bound);
        connection.SetServerName("turn.tenant.example");
        Assert.Equal("by-origin.test", Select(Selector(), connection, "https://app.example"));
    }

    [Fact]
    public void Select_HostNameAnyCase_BeatsAddress()
    {
        var connection = new TestStreamConnection(Remote, Bound);
        connection.SetServerName("TURN.Tenant.Example");
        Assert.Equal("by-name.test", Select(Selector(), connection));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown.example")]
    public void Select_EmptyOrUnknownHostName_FallsThroughToTheAddress(string serverName)
    {
        var connection = new TestStreamConnection(Remote, Bound);
        connection.SetServerName(serverName);
        Assert.Equal("by-address.test", Select(Selector(), connection));
    }

    [Fact]
    public void Select_AddressReached_AnyPortAndMappedForm()
    {
        var selector = Selector();
        Assert.Equal("by-address.test", Select(selector, new TestStreamConnection(Remote, Bound.WithPort(5349))));
        var mapped = TransportAddress.FromIPAddress(IPAddress.Parse("::ffff:192.0.2.2"), 3478);
        Assert.Equal("by-address.test", Select(selector, new TestStreamConnection(Remote, mapped)));
        Assert.Equal("by-address.test", Select(selector, new TestStreamConnection(Remote, TransportAddress.FromIPAddress(IPAddress.Parse("2001:db8::2"), 3478))));
    }

    [Fact]
    public void Select_OriginNotUtf8_IsIgnored()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, TransactionId.NewRandom());
        writer.WriteAttribute(StunAttributeType.Origin, [0xFF, 0xFE, 0x00]);
        StunMessageReader.TryParse(buffer.AsSpan(0, writer.Length), out var request);
        Assert.Equal("default.test", Selector().Select(new TestStreamConnection(Remote, Local), request));
    }

    [Fact]
    public void Directory_KnowsEveryConfiguredRealm()
    {
        var options = new RelayOptions
        {
            DefaultRealm = "d",
            Users = [new RelayUser { Name = "u", Password = "p", Realm = "users" }],
            RealmSharedSecrets = new() { ["secrets"] = ["s"] },
            AddressRealms = ["192.0.2.2=address"],
            OriginRealms = ["https://a.example=origin"],
            HostNameRealms = ["a.example.=name"],
        };
        var directory = new ConfiguredRealmDirectory(Options.Create(options));
        foreach (var realm in new[] { "d", "users", "secrets", "address", "origin", "name" }) Assert.True(directory.RealmExists(realm), realm);
        Assert.False(directory.RealmExists("D"));
        Assert.Equal("name", directory.FindRealmByHostName("A.EXAMPLE"));
        Assert.Equal("origin", directory.FindRealmByOrigin("https://a.example:443"));
        Assert.Null(directory.FindRealmByOrigin("https://a.example"));
    }
}
