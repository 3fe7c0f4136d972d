using System.Net;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Slow and idle stream connections (issue 13): keepalive-only TCP connections and handshake-only TLS connections
/// fill the connection cap, and one address opens more than its share. After the authentication or handshake
/// timeout they are gone, and legitimate TCP and TLS clients get allocations.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class StreamExhaustionTests(StreamServerFixture fixture, ITestOutputHelper output) : IClassFixture<StreamServerFixture>
{
    /// <summary>Beyond the configured timeout: the server's sweep may run a moment after it.</summary>
    private static readonly TimeSpan TimeoutSlack = TimeSpan.FromSeconds(3);

    /// <summary>Attackers spread over this many addresses, each within the per-address cap, to fill the server-wide cap.</summary>
    private const int AttackerAddresses = StreamLimitSettings.Cap / StreamLimitSettings.PerAddressCap;

    [Fact]
    public async Task KeepaliveOnlyTcpConnections_FillingTheCap_AreClosedAfterTheAuthTimeout_AndATcpClientAllocates()
    {
        var server = fixture.Server;
        var attackers = await OpenAsync(new IPEndPoint(IPAddress.Loopback, server.Port), StreamAttack.Keepalive, StreamLimitSettings.Cap);
        try
        {
            var during = await AllocateAsync(ClientTransport.Tcp);
            await Task.Delay(TimeSpan.FromSeconds(StreamLimitSettings.TimeoutSeconds) + TimeoutSlack);
            var closed = attackers.Count(a => a.IsClosed);
            var after = await AllocateAsync(ClientTransport.Tcp);
            FiguresLog.Write(output, "streams: keepalive-only TCP",
                $"[streams: {attackers.Count} keepalive-only TCP connections, cap {StreamLimitSettings.Cap}, auth timeout {StreamLimitSettings.TimeoutSeconds} s] " +
                $"legitimate TCP allocation while they were open: {Describe(during)}; closed by the server after {StreamLimitSettings.TimeoutSeconds} s + {TimeoutSlack.TotalSeconds} s: {closed}; legitimate TCP allocation then: {Describe(after)}");

            server.AssertAlive();
            Assert.Equal(attackers.Count, closed);
            Assert.True(after.Ok, $"A legitimate TCP client was refused after the auth timeout: {after.Output}");
        }
        finally
        {
            await CloseAsync(attackers);
        }
    }

    [Fact]
    public async Task HandshakeOnlyTlsConnections_FillingTheCap_AreClosedAfterTheHandshakeTimeout_AndTlsAndTcpClientsAllocate()
    {
        var server = fixture.Server;
        var tls = new IPEndPoint(IPAddress.Loopback, server.TlsPort);
        var attackers = await OpenAsync(tls, StreamAttack.Silent, StreamLimitSettings.Cap / 2);
        attackers.AddRange(await OpenAsync(tls, StreamAttack.PartialClientHello, StreamLimitSettings.Cap - attackers.Count, firstAddress: AttackerAddresses));
        try
        {
            var during = await AllocateAsync(ClientTransport.Tcp);
            await Task.Delay(TimeSpan.FromSeconds(StreamLimitSettings.TimeoutSeconds) + TimeoutSlack);
            var closed = attackers.Count(a => a.IsClosed);
            var tlsAfter = await AllocateAsync(ClientTransport.Tls);
            var tcpAfter = await AllocateAsync(ClientTransport.Tcp);
            FiguresLog.Write(output, "streams: handshake-only TLS",
                $"[streams: {attackers.Count} handshake-only TLS connections (half silent, half a partial ClientHello), cap {StreamLimitSettings.Cap}, handshake timeout {StreamLimitSettings.TimeoutSeconds} s] " +
                $"legitimate TCP allocation while they were open: {Describe(during)}; closed by the server after {StreamLimitSettings.TimeoutSeconds} s + {TimeoutSlack.TotalSeconds} s: {closed}; " +
                $"legitimate TLS then: {Describe(tlsAfter)}; TCP then: {Describe(tcpAfter)}");

            server.AssertAlive();
            Assert.Equal(attackers.Count, closed);
            Assert.True(tlsAfter.Ok, $"A legitimate TLS client was refused: {tlsAfter.Output}");
            Assert.True(tcpAfter.Ok, $"A legitimate TCP client was refused: {tcpAfter.Output}");
        }
        finally
        {
            await CloseAsync(attackers);
        }
    }

    [Fact]
    public async Task OneAddress_OpeningMoreThanItsShare_IsHeldToThePerAddressCap_AndOthersStillAllocate()
    {
        var server = fixture.Server;
        var attempts = StreamLimitSettings.PerAddressCap + 10;
        var attackers = new List<StreamAttacker>();
        try
        {
            var source = IPAddress.Parse("127.0.2.9");
            for (var i = 0; i < attempts; i++)
                attackers.Add(await StreamAttacker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), source, StreamAttack.Keepalive));
            // Well inside the auth timeout: only the per-address cap can have closed any.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var open = attackers.Count(a => !a.IsClosed);
            var other = await AllocateAsync(ClientTransport.Tcp);
            FiguresLog.Write(output, "streams: per-address cap",
                $"[streams: {attempts} keepalive-only TCP connections from one address, per-address cap {StreamLimitSettings.PerAddressCap}] still open after 1 s: {open}; " +
                $"legitimate TCP allocation from another address: {Describe(other)}");

            server.AssertAlive();
            Assert.True(open <= StreamLimitSettings.PerAddressCap, $"{open} connections from one address stayed open; the cap is {StreamLimitSettings.PerAddressCap}.");
            Assert.True(other.Ok, $"A legitimate TCP client was refused: {other.Output}");
        }
        finally
        {
            await CloseAsync(attackers);
        }
    }

    /// <summary>Opens <paramref name="count"/> attackers, at most the per-address cap from each address 127.0.1.(first+1)...</summary>
    private static async Task<List<StreamAttacker>> OpenAsync(IPEndPoint server, StreamAttack attack, int count, int firstAddress = 0)
    {
        var attackers = new List<StreamAttacker>(count);
        for (var i = 0; i < count; i++)
        {
            var source = new IPAddress([127, 0, 1, (byte)(firstAddress + (i / StreamLimitSettings.PerAddressCap) + 1)]);
            attackers.Add(await StreamAttacker.ConnectAsync(server, source, attack));
        }
        return attackers;
    }

    private static async Task CloseAsync(IEnumerable<StreamAttacker> attackers)
    {
        foreach (var attacker in attackers) await attacker.DisposeAsync();
    }

    /// <summary>A legitimate aioice client's Allocate (and nothing else) over TCP or TLS.</summary>
    private async Task<AioiceForbiddenResult> AllocateAsync(ClientTransport transport) =>
        await AioiceTurnClient.TryPeersAsync(fixture.Server.Target(transport), [], timeout: TimeSpan.FromSeconds(5),
            caFile: transport == ClientTransport.Tls ? fixture.Server.CaFile : null);

    private static string Describe(AioiceForbiddenResult result) => result.Ok ? "allocated" : $"refused ({result.Error})";
}
