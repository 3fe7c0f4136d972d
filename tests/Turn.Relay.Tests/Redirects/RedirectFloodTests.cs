using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;
using Turn.Relay.Tests.Support;
using Xunit.Abstractions;

namespace Turn.Relay.Tests.Redirects;

/// <summary>
/// The 300 a draining node sends before authentication is an answer to anyone who asks, so it must stay inside the
/// unauthenticated answer budget (default 20/s, burst 100 per source) like the 401: a bounded flood of credential-less
/// Allocates from one source at a drained host gets at most the budget back, in answers and in bytes.
/// </summary>
public sealed class RedirectFloodTests(ITestOutputHelper output)
{
    private const int Flood = 2_000;

    [Fact]
    public async Task DrainedHost_FloodOfUnauthenticatedAllocates_300sStayWithinTheAnswerBudget()
    {
        await using var b = await RelayHost.StartAsync();
        await using var a = await RelayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:AlternateServers:0"] = "udp=" + b.Service.UdpEndPoints[0],
        });
        a.Host.Services.GetRequiredService<IRelayControl>().Drain();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        var target = a.Service.UdpEndPoints[0];

        var clock = Stopwatch.StartNew();
        var request = new byte[28];
        for (var i = 0; i < Flood; i++)
        {
            WriteUnauthenticatedAllocate(request);
            await socket.SendToAsync(request, SocketFlags.None, target);
        }
        var (answers, bytes, redirects) = await DrainAnswersAsync(socket, TimeSpan.FromSeconds(1));
        var elapsed = clock.Elapsed.TotalSeconds;

        // Burst 100, then 20 a second for as long as the flood and the wait lasted (+1 for a token refilled at the edge).
        var allowed = 100 + (int)Math.Ceiling(20 * elapsed) + 1;
        output.WriteLine($"{Flood} Allocates ({Flood * 28} B) in {elapsed:0.00} s: {answers} answers ({redirects} of them 300), {bytes} B back; budget {allowed}");
        Assert.True(redirects > 0, "no 300 came back at all");
        Assert.Equal(answers, redirects);
        Assert.InRange(answers, 1, allowed);
        Assert.True(bytes <= allowed * 100L, $"{bytes} bytes back for {Flood * 28} sent");
        Assert.Empty(a.Host.Services.GetRequiredService<IRelayState>().GetSnapshot().Allocations);
    }

    // Allocate request, no credentials: header (type 0x0003, length 8, magic cookie, random transaction id) and
    // REQUESTED-TRANSPORT UDP.
    private static void WriteUnauthenticatedAllocate(byte[] buffer)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, 0x0003);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), 0x2112A442);
        RandomNumberGenerator.Fill(buffer.AsSpan(8, 12));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(20), 0x0019);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(22), 4);
        buffer[24] = 17;
        buffer[25] = buffer[26] = buffer[27] = 0;
    }

    private static async Task<(int Answers, long Bytes, int Redirects)> DrainAnswersAsync(Socket socket, TimeSpan quiet)
    {
        var buffer = new byte[2048];
        int answers = 0, redirects = 0;
        long bytes = 0;
        while (true)
        {
            using var timeout = new CancellationTokenSource(quiet);
            try
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                answers++;
                bytes += received;
                // An Allocate error response (0x0113) carrying ERROR-CODE 300.
                if (received >= 28 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == 0x0113 && HasErrorCode(buffer.AsSpan(20, received - 20), 300))
                    redirects++;
            }
            catch (OperationCanceledException)
            {
                return (answers, bytes, redirects);
            }
        }
    }

    private static bool HasErrorCode(ReadOnlySpan<byte> attributes, int code)
    {
        while (attributes.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(attributes);
            var length = BinaryPrimitives.ReadUInt16BigEndian(attributes[2..]);
            if (attributes.Length < 4 + length) return false;
            if (type == 0x0009 && length >= 4) return (attributes[6] & 7) * 100 + attributes[7] == code;
            attributes = attributes[(4 + ((length + 3) & ~3))..];
        }
        return false;
    }
}
