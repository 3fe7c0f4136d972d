using System.Net;
using System.Text;
using Turn.Protocol;
using Turn.Relay.Tests.Support;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// Realm selection over real sockets against the hosted engine (relay-only, realms from configuration): aioice with
/// plain and realm-carrying TURN REST credentials, a raw client sending ORIGIN, and a client reaching an address bound
/// to a realm.
/// </summary>
public sealed class RealmSelectionInteropTests
{
    private const string DefaultRealm = "test.realm";
    private const string Realm2 = "realm2.test";
    private const string Secret2 = "realm2-rest-secret";
    private const string Origin2 = "https://tenant2.example";

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Relay:OriginRealms:0"] = $"{Origin2}={Realm2}",
        ["Relay:Users:1:Name"] = "carol",
        ["Relay:Users:1:Password"] = "carol-pw",
        ["Relay:Users:1:Realm"] = Realm2,
        ["Relay:RealmSharedSecrets:" + Realm2 + ":0"] = Secret2,
    };

    [Fact]
    public async Task Aioice_RestCredentialCarryingRealm2_AllocatesAndRelays_UnderTheDefaultOffer()
    {
        await using var host = await RelayHost.StartAsync(Settings(), relayPorts: 20);
        await using var peer = await TurnutilsPeer.StartAsync();
        var port = host.Service.UdpEndPoints[0].Port;
        var username = TurnRestCredential.CreateUsername(DateTimeOffset.UtcNow.AddHours(1), "dave@" + Realm2);
        var target = new TurnServerTarget("127.0.0.1", port, ClientTransport.Udp, DefaultRealm, username, TurnRestCredential.ComputePassword(Secret2, username));

        var result = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", peer.Port);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(DefaultRealm, result.Realm); // the offer; the credential's realm is realm2
        Assert.Equal(5, result.ChannelMessagesEchoed);
    }

    [Fact]
    public async Task Aioice_PlainUser_StillAllocatesAndRelays()
    {
        await using var host = await RelayHost.StartAsync(Settings(), relayPorts: 20);
        await using var peer = await TurnutilsPeer.StartAsync();
        var target = new TurnServerTarget("127.0.0.1", host.Service.UdpEndPoints[0].Port, ClientTransport.Tcp, DefaultRealm, "alice", "secret");

        var result = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", peer.Port);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(5, result.ChannelMessagesEchoed);
    }

    [Fact]
    public async Task RawClient_SendingOrigin_IsOfferedTheMappedRealm_AndRefusedWhenItsRealmDiffers()
    {
        await using var host = await RelayHost.StartAsync(Settings(), relayPorts: 20);
        await using var client = WireClient.Udp(host.Service.UdpEndPoints[0]);
        AttributeWriter allocate = (ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            w.WriteAttribute(StunAttributeType.Origin, Encoding.UTF8.GetBytes(Origin2));
        };

        var challenge = await client.RequestAsync(StunMethod.Allocate, allocate, authenticate: false);
        Assert.Equal(401, challenge.ErrorCode);
        Assert.Equal(Realm2, challenge.Realm);

        // alice exists in the default realm, but the nonce was offered with realm2.
        (client.Username, client.Password, client.Realm, client.Nonce) = ("alice", "secret", DefaultRealm, challenge.Nonce!);
        var refused = await client.RequestAsync(StunMethod.Allocate, allocate);
        Assert.Equal(401, refused.ErrorCode);
        Assert.Equal(Realm2, refused.Realm);

        (client.Username, client.Password, client.Realm, client.Nonce) = ("carol", "carol-pw", Realm2, refused.Nonce!);
        var allocated = await client.RequestAsync(StunMethod.Allocate, allocate);
        Assert.True(allocated.IsSuccess, $"error {allocated.ErrorCode}");
    }

    [Fact]
    public async Task RawClient_ReachingAnAddressBoundToARealm_IsOfferedThatRealm()
    {
        var settings = Settings();
        settings["Relay:ListenAddresses:1"] = "127.0.0.2";
        settings["Relay:AddressRealms:0"] = $"127.0.0.2={Realm2}";
        await using var host = await RelayHost.StartAsync(settings, relayPorts: 20);
        var second = host.Service.UdpEndPoints.Single(e => e.Address.Equals(IPAddress.Parse("127.0.0.2")));
        var first = host.Service.UdpEndPoints.Single(e => e.Address.Equals(IPAddress.Loopback));

        await using var viaSecond = WireClient.Udp(second);
        (viaSecond.Username, viaSecond.Password) = ("carol", "carol-pw");
        var allocated = await viaSecond.AllocateAsync();
        Assert.True(allocated.IsSuccess, $"error {allocated.ErrorCode}");
        Assert.Equal(Realm2, viaSecond.Realm);

        await using var viaFirst = WireClient.Udp(first);
        var challenge = await viaFirst.RequestAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);
        Assert.Equal(DefaultRealm, challenge.Realm);
    }
}
