using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The flood sender's own rate, against a socket that never reads (nothing to slow it but the kernel): at least as
/// fast as a one-process Python sender (the kind the issue's figures came from) with the same message size and
/// sources, measured in turns with it on the same machine. Both spend most of each datagram in the kernel's loopback
/// path, so on a shared machine the medians of three turns are compared, with <see cref="Noise"/> allowed.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class FloodSenderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1);

    private const int Turns = 3;

    /// <summary>How far below the Python sender's median this sender's may fall before the test calls it slower.</summary>
    private const double Noise = 0.2;

    // The plainest fast Python sender: connected sockets, a new transaction id per message, sends in a tight loop.
    private const string PythonSender = """
import os, socket, sys, time
port, count, seconds, size = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
socks = []
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.%d.%d.%d" % (20 + i, (i * 37) & 255, (i % 250) + 1), 0))
    s.connect(("127.0.0.1", port))
    socks.append(s)
msg = bytearray(os.urandom(size))
sent, end = 0, time.monotonic() + seconds
while time.monotonic() < end:
    for s in socks:
        msg[8:20] = os.urandom(12)
        s.send(msg)
    sent += len(socks)
print(sent / seconds)
""";

    [Fact]
    public async Task Sender_AgainstASink_IsAtLeastAsFastAsTheIssuesPythonSender()
    {
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sockets = FloodSources.Create((IPEndPoint)sink.LocalEndPoint!, 64, spread: true);
        try
        {
            var template = FloodTemplate.RandomUserName(ServedTurnstone.Realm);
            var port = ((IPEndPoint)sink.LocalEndPoint!).Port;
            var ours = new List<double>();
            var python = new List<double>();
            for (var turn = 0; turn < Turns; turn++)
            {
                var result = await StunFlood.RunAsync(new FloodPlan([template], sockets, MessagesPerSecond: 0, MaxMessages: 100_000_000, Duration));
                Assert.Equal(0, result.SendErrors);
                ours.Add(result.SentPerSecond);
                var process = await ExternalProcess.RunAsync(AioiceTurnClient.Python,
                    ["-c", PythonSender, port.ToString(CultureInfo.InvariantCulture), sockets.Length.ToString(CultureInfo.InvariantCulture),
                     Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), template.Message.Length.ToString(CultureInfo.InvariantCulture)],
                    Duration + TimeSpan.FromSeconds(20));
                python.Add(double.Parse(process.StandardOutput.Trim(), CultureInfo.InvariantCulture));
            }
            var (oursMedian, pythonMedian) = (ours.Order().ElementAt(Turns / 2), python.Order().ElementAt(Turns / 2));
            FiguresLog.Write(output, "sender", string.Create(CultureInfo.InvariantCulture,
                $"[sender] random-USERNAME Allocates ({template.Message.Length} B) from {sockets.Length} sources to a sink, median of {Turns} turns of {Duration.TotalSeconds} s: " +
                $"this sender {oursMedian:F0}/s ({string.Join(", ", ours.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}), " +
                $"one-process Python {pythonMedian:F0}/s ({string.Join(", ", python.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            Assert.True(oursMedian >= pythonMedian * (1 - Noise), $"The sender reached {oursMedian:F0}/s, a Python sender {pythonMedian:F0}/s.");
        }
        finally
        {
            FloodSources.Dispose(sockets);
        }
    }
}
