using System.Net;
using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Mode (e) of issue 13: a real aioice session's requests, captured through a proxy, mutated (bit flips, truncation,
/// length lies, duplicated attributes...) and sent to the live server, from the session's own 5-tuple (so they
/// reach its allocation's handlers) and from other sources. The server stays up, never answers 500, keeps the
/// session's allocation and keeps serving a legitimate client.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class MutatedTrafficTests(HostileServerFixture fixture, ITestOutputHelper output)
{
    private const int Mutants = 20_000;
    private const int MutantsPerSecond = 4_000;
    private static readonly TimeSpan FloodDuration = TimeSpan.FromSeconds(8);

    /// <summary>Mutants sent over TCP (a write of 20 every 5 ms at most, reconnecting whenever the server closes).</summary>
    private const int TcpMutants = 10_000;

    /// <summary>An address of TEST-NET-3 the session gets a permission for (nothing answers there: only the requests matter).</summary>
    private const string Peer = "203.0.113.9";

    [Fact]
    public async Task MutatedCapturedRequests_OverTcp_ServerStaysUpNeverAnswers500_AndATcpClientStillAllocates()
    {
        var server = fixture.Server;
        await using var proxy = new RecordingUdpProxy(server.UdpEndPoint, IPAddress.Parse("127.0.6.96"));
        var target = server.Target(ClientTransport.Udp) with { Host = "127.0.0.1", Port = proxy.Port };
        var session = await AioiceTurnClient.TryPeersAsync(target, [Peer]);
        Assert.True(session.Ok, $"The aioice session through the proxy failed: {session.Output}");
        var captured = proxy.Captured;

        var mutator = new RequestMutator(Random.Shared.Next());
        var mutants = Enumerable.Range(0, TcpMutants).Select(i => mutator.Mutate(captured[i % captured.Count])).ToArray();
        var result = await StreamMutantSender.RunAsync(new IPEndPoint(IPAddress.Loopback, server.Port), IPAddress.Parse("127.0.6.97"), mutants, TimeSpan.FromSeconds(8));
        var tcp = await AioiceTurnClient.TryPeersAsync(server.Target(ClientTransport.Tcp), [], timeout: TimeSpan.FromSeconds(5));
        FiguresLog.Write(output, "e: mutated traffic over TCP",
            $"[e: mutated captured traffic over TCP, seed {mutator.Seed}, {captured.Count} captured datagrams] sent {result.Sent} on {result.Connections} connections; answers " +
            $"{string.Join(", ", result.AnswerCodes.OrderBy(c => c.Key).Select(c => $"{c.Key}:{c.Value}"))}; legitimate TCP allocation then: {(tcp.Ok ? "allocated" : tcp.Error)}");

        server.AssertAlive();
        Assert.True(result.AnswerCodes.GetValueOrDefault(500) == 0, $"The server answered 500 to malformed input over TCP (seed {mutator.Seed}). Its errors:\n{ServerErrors(server.Log)}");
        Assert.True(tcp.Ok, $"A legitimate TCP client was refused after the mutants: {tcp.Output}");
    }

    /// <summary>The server's error lines and what follows each (the exception), bounded.</summary>
    private static string ServerErrors(string log)
    {
        var lines = log.Split('\n');
        var errors = lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal))
            .Select(l => string.Join('\n', lines.Skip(l.i).Take(4)));
        var text = string.Join("\n", errors);
        return text.Length <= 4000 ? text : text[..4000];
    }

    [Fact]
    public async Task MutatedCapturedRequests_OnTheLiveRequestPath_ServerStaysUpAndNeverAnswers500()
    {
        var server = fixture.Server;
        await using var proxy = new RecordingUdpProxy(server.UdpEndPoint, IPAddress.Parse("127.0.6.95"));
        var target = server.Target(ClientTransport.Udp) with { Host = "127.0.0.1", Port = proxy.Port };
        using var session = await AioiceHoldSession.StartAsync(target, Peer, 4000, hold: TimeSpan.FromSeconds(40), interval: TimeSpan.FromMilliseconds(100));
        Assert.True(session.IsRunning, "The aioice session did not get its allocation through the proxy.");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a few refreshes and ChannelData to capture
        var captured = proxy.Captured;
        Assert.True(captured.Count >= 5, $"Only {captured.Count} datagrams captured.");

        var mutator = new RequestMutator(Random.Shared.Next());
        var mutants = Enumerable.Range(0, Mutants).Select(i => FloodTemplate.Fixed(mutator.Mutate(captured[i % captured.Count]))).ToArray();
        // Spread so that no source passes Relay:RequestsPerSecondPerSource's burst: every mutant reaches the request path.
        var others = FloodSources.Create(server.UdpEndPoint, 32, spread: true);
        var residentBefore = server.ResidentBytes;
        try
        {
            // Half keep their captured transaction ids (retransmission look-alikes), half get fresh ones.
            var sources = others.Append(proxy.Upstream).ToArray();
            var legitimate = LegitimateCycles.RunAsync(server.Target(ClientTransport.Udp), TimeSpan.FromSeconds(8));
            var asCaptured = await StunFlood.RunAsync(new FloodPlan(mutants[..(Mutants / 2)], sources, MutantsPerSecond, Mutants / 2, FloodDuration / 2) { VaryTransactionId = false, CountAnswers = false });
            var fresh = await StunFlood.RunAsync(new FloodPlan(mutants[(Mutants / 2)..], others, MutantsPerSecond, Mutants / 2, FloodDuration / 2) { CountAnswers = true });
            var cycles = await legitimate;
            session.Stop();
            var held = await session.WaitAsync();

            var proxyCodes = proxy.AnswerCodes;
            FiguresLog.Write(output, "e: mutated traffic",
                $"[e: mutated captured traffic, seed {mutator.Seed}, {captured.Count} captured datagrams] as captured: {asCaptured}; fresh ids: {fresh}; " +
                $"answers on the session's 5-tuple: {string.Join(", ", proxyCodes.OrderBy(c => c.Key).Select(c => $"{c.Key}:{c.Value}"))}; legitimate: {cycles}; " +
                $"session kept its allocation: {held.Ok && held.RefreshError == 0} (refreshes {held.Refreshes}); RSS {residentBefore >> 20} -> {server.ResidentBytes >> 20} MB");

            server.AssertAlive();
            Assert.True(fresh.AnswersWithCode(500) + proxyCodes.GetValueOrDefault(500) == 0,
                $"The server answered 500 to malformed input (seed {mutator.Seed}). Its errors:\n{ServerErrors(server.Log)}");
            Assert.True(held.Ok && held.RefreshError == 0, $"The real session lost its allocation (seed {mutator.Seed}): {held.Output}");
            Assert.True(cycles.SuccessRatio >= HostileBars.MinLegitimateSuccessRatio && cycles.Attempted >= HostileBars.MinLegitimateCycles, $"Legitimate client during the mutants: {cycles}");
            Assert.DoesNotContain("crit:", server.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", server.Log, StringComparison.Ordinal);
        }
        finally
        {
            FloodSources.Dispose(others);
        }
    }
}
