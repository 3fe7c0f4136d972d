using System.Diagnostics;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Runs one flood against the served turnstone and measures around it: legitimate aioice cycles while it runs,
/// credential SELECTs it caused, PostgreSQL backends and the server's resident memory (sampled every 250 ms).
/// </summary>
internal static class FloodMeasurement
{
    /// <summary>The legitimate client starts this long after the flood, so it meets the flood at full rate.</summary>
    public static readonly TimeSpan LegitimateDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<FloodFigures> RunAsync(HostileServerFixture fixture, string mode, FloodPlan plan)
    {
        var server = fixture.Server;
        var target = server.Target(ClientTransport.Udp);
        // Warm-up: the legitimate user is known and cached before the flood, as on a server that has been up a while.
        await LegitimateCycles.RunAsync(target, TimeSpan.FromSeconds(1), maxCycles: 2);
        await WaitForQuietAsync(fixture.Counter);

        var selectsBefore = await fixture.Counter.ReadAsync();
        var backendsBefore = await fixture.Counter.BackendsAsync();
        var residentBefore = server.ResidentBytes;
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(fixture, sampling.Token);

        var flood = StunFlood.RunAsync(plan);
        await Task.Delay(LegitimateDelay);
        var legitimateTime = plan.Duration - LegitimateDelay - LegitimateCycles.CycleTimeout;
        var cycles = await LegitimateCycles.RunAsync(target, legitimateTime > TimeSpan.FromSeconds(1) ? legitimateTime : TimeSpan.FromSeconds(1));
        var floodResult = await flood;
        await sampling.CancelAsync();
        var (backendsPeak, residentPeak) = await sampler;

        // What the server still had queued when the flood stopped is the flood's too.
        await WaitForQuietAsync(fixture.Counter);
        var selects = await fixture.Counter.ReadAsync() - selectsBefore;
        server.AssertAlive();
        return new FloodFigures(mode, floodResult, cycles, selects, fixture.Counter.Method, backendsBefore, Math.Max(backendsPeak, backendsBefore),
            residentBefore, Math.Max(residentPeak, residentBefore), server.ResidentBytes);
    }

    /// <summary>Waits (at most 10 s) until the credential SELECT count stops moving for a second.</summary>
    public static async Task WaitForQuietAsync(CredentialQueryCounter counter)
    {
        if (!counter.UsesStatementStatistics) return; // each read waits out the statistics delay itself
        var clock = Stopwatch.StartNew();
        var last = await counter.ReadAsync();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await counter.ReadAsync();
            if (now == last) return;
            last = now;
        }
    }

    private static async Task<(int Backends, long Resident)> SampleAsync(HostileServerFixture fixture, CancellationToken stop)
    {
        int backends = 0;
        long resident = 0;
        while (!stop.IsCancellationRequested)
        {
            resident = Math.Max(resident, fixture.Server.ResidentBytes);
            try
            {
                backends = Math.Max(backends, await fixture.Counter.BackendsAsync());
                await Task.Delay(SampleInterval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (backends, resident);
    }
}
