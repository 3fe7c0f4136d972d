using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Turn.Protocol;
using Turn.Relay.Diagnostics;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Streams;

/// <summary>
/// Stream limits against a real relay on loopback (issue 13): handshake-only connections count from accept against
/// the per-address and the server-wide cap until their handshake deadline, and keepalive-only connections are closed
/// after the authentication deadline while authenticated ones stay. Bounded: a handful of connections, seconds.
/// </summary>
public sealed class StreamLimitTests
{
    [Fact]
    public async Task PerAddressCap_HandshakeOnlyConnections_FillItUntilTheirDeadline_ThenAClientGetsIn()
    {
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:TlsPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Relay:MaxStreamConnectionsPerAddress"] = "3",
            ["Relay:TlsHandshakeTimeoutSeconds"] = "2",
        });
        using var recorder = new MeasurementRecorder(host.Host.Services.GetRequiredService<RelayMetrics>().Meter);
        var tls = Assert.Single(host.Service.TlsEndPoints);
        var silent = new List<Socket>();
        try
        {
            // Connections that never start their handshake.
            for (var i = 0; i < 3; i++) silent.Add(await ConnectAsync(tls));
            await WaitUntilAsync(() => host.Service.StreamConnectionCount == 3);

            // The fourth from the same address is closed at once, on the TLS port and on the TCP port alike.
            using (var refused = await ConnectAsync(tls)) Assert.True(await ClosedByServerAsync(refused, TimeSpan.FromSeconds(2)));
            using (var refused = await ConnectAsync(host.Service.TcpEndPoints[0])) Assert.True(await ClosedByServerAsync(refused, TimeSpan.FromSeconds(2)));
            Assert.Equal(2, Count(recorder, "turn.stream.connections.refused", "address_limit"));

            // Their handshake deadline frees the slots.
            var watch = Stopwatch.StartNew();
            foreach (var socket in silent) Assert.True(await ClosedByServerAsync(socket, TimeSpan.FromSeconds(6)));
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
            Assert.Equal(3, Count(recorder, "turn.stream.connections.timed_out", "handshake"));
            await WaitUntilAsync(() => host.Service.StreamConnectionCount == 0);

            await using var client = await WireClient.TlsAsync(tls);
            Assert.True((await client.AllocateAsync()).IsSuccess);
        }
        finally
        {
            foreach (var socket in silent) socket.Dispose();
        }
    }

    [Fact]
    public async Task ServerCap_CountsHandshakesOfEveryListener_ThenAClientGetsIn()
    {
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:TlsPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Relay:MaxStreamConnections"] = "3",
            ["Relay:TlsHandshakeTimeoutSeconds"] = "2",
        });
        using var recorder = new MeasurementRecorder(host.Host.Services.GetRequiredService<RelayMetrics>().Meter);
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++) silent.Add(await ConnectAsync(Assert.Single(host.Service.TlsEndPoints)));
            await WaitUntilAsync(() => host.Service.StreamConnectionCount == 3);

            // A plain TCP client meets the same server-wide count.
            await using (var refused = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]))
            {
                Assert.True(await refused.WaitForCloseAsync(TimeSpan.FromSeconds(2)));
            }
            Assert.Equal(1, Count(recorder, "turn.stream.connections.refused", "server_limit"));

            foreach (var socket in silent) Assert.True(await ClosedByServerAsync(socket, TimeSpan.FromSeconds(6)));
            await WaitUntilAsync(() => host.Service.StreamConnectionCount == 0);
            await using var client = await WireClient.TcpAsync(host.Service.TcpEndPoints[0]);
            Assert.True((await client.AllocateAsync()).IsSuccess);
        }
        finally
        {
            foreach (var socket in silent) socket.Dispose();
        }
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task KeepaliveOnly_IsClosedAfterTheAuthTimeout_AnAllocationStays(string linuxFastPath)
    {
        await using var host = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:StreamAuthTimeoutSeconds"] = "2",
            ["Relay:LinuxFastPath"] = linuxFastPath,
        });
        using var recorder = new MeasurementRecorder(host.Host.Services.GetRequiredService<RelayMetrics>().Meter);
        var tcp = host.Service.TcpEndPoints[0];
        await using var keepalive = await WireClient.TcpAsync(tcp);
        await using var allocated = await WireClient.TcpAsync(tcp);
        Assert.True((await allocated.AllocateAsync()).IsSuccess);

        // Both send a Binding every 500 ms; the unauthenticated one is closed between 2 and 3 s after accept.
        var watch = Stopwatch.StartNew();
        TimeSpan? closedAfter = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (closedAfter is null && !await BindingAnsweredAsync(keepalive)) closedAfter = watch.Elapsed;
            Assert.True(await BindingAnsweredAsync(allocated), $"the allocated connection was closed after {watch.Elapsed}");
            await Task.Delay(500);
        }
        Assert.NotNull(closedAfter);
        Assert.InRange(closedAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4.5));
        Assert.Equal(1, Count(recorder, "turn.stream.connections.timed_out", "auth"));
        Assert.Single(host.Host.Services.GetRequiredService<Turn.Relay.Seams.IRelayState>().GetSnapshot().Allocations);
    }

    private static async Task<bool> BindingAnsweredAsync(WireClient client)
    {
        try
        {
            return (await client.RequestAsync(StunMethod.Binding, null, authenticate: false)).IsSuccess;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static long Count(MeasurementRecorder recorder, string instrument, string reason) =>
        recorder.Collect().Where(m => m.Name == instrument && m.Tag("error.type") == reason).Sum(m => m.Value);

    private static async Task<Socket> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        return socket;
    }

    // True when the server closes (end of stream or reset) within the time.
    private static async Task<bool> ClosedByServerAsync(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[512];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
