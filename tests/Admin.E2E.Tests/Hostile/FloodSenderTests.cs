using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The flood sender's own rate, against a socket that never reads (nothing to slow it but the kernel): it must be at
/// least as fast as a one-process Python sender (the kind the issue's figures came from) measured right after it on
/// the same machine, with the same message size and sources.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class FloodSenderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

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
            var plan = new FloodPlan([template], sockets, MessagesPerSecond: 0, MaxMessages: 100_000_000, Duration);
            var result = await StunFlood.RunAsync(plan);
            var port = ((IPEndPoint)sink.LocalEndPoint!).Port;
            var python = await ExternalProcess.RunAsync(AioiceTurnClient.Python,
                ["-c", PythonSender, port.ToString(CultureInfo.InvariantCulture), sockets.Length.ToString(CultureInfo.InvariantCulture),
                 Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), template.Message.Length.ToString(CultureInfo.InvariantCulture)],
                Duration + TimeSpan.FromSeconds(20));
            var pythonRate = double.Parse(python.StandardOutput.Trim(), CultureInfo.InvariantCulture);
            FiguresLog.Write(output, "sender", string.Create(CultureInfo.InvariantCulture,
                $"[sender] random-USERNAME Allocates ({template.Message.Length} B) from {sockets.Length} sources to a sink: this sender {result.SentPerSecond:F0}/s ({result.SendErrors} send errors), " +
                $"one-process Python {pythonRate:F0}/s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            Assert.Equal(0, result.SendErrors);
            Assert.True(result.SentPerSecond >= pythonRate, $"The sender reached {result.SentPerSecond:F0}/s, a Python sender {pythonRate:F0}/s.");
        }
        finally
        {
            FloodSources.Dispose(sockets);
        }
    }
}
