using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Floods of Allocates with junk NONCE and MESSAGE-INTEGRITY (modes a, b, c of issue 13) from spread-out sources
/// while a legitimate aioice client cycles: the legitimate client keeps succeeding and no flooded request reaches
/// the database.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class CredentialFloodTests(HostileServerFixture fixture, ITestOutputHelper output)
{
    /// <summary>How long each maximum-rate flood runs (the legitimate client runs inside it).</summary>
    private static readonly TimeSpan FloodDuration = TimeSpan.FromSeconds(10);

    /// <summary>Sources of a maximum-rate flood, each in its own /16 of 127/8 (stand-ins for spoofed addresses).</summary>
    private const int SpreadSources = 64;

    /// <summary>Mode (c)'s rate: the repeated-USERHASH probe.</summary>
    private const int RepeatedUserHashRate = 5_000;

    [Fact]
    public async Task NoFlood_LegitimateCycles_Succeed()
    {
        var cycles = await LegitimateCycles.RunAsync(fixture.Server.Target(ClientTransport.Udp), TimeSpan.FromSeconds(3), maxCycles: 20);
        FiguresLog.Write(output, nameof(NoFlood_LegitimateCycles_Succeed), $"[baseline] no flood: {cycles}");
        Assert.Equal(cycles.Attempted, cycles.Succeeded);
        Assert.True(cycles.Attempted >= HostileBars.MinLegitimateCycles, $"only {cycles.Attempted} cycles in 3 s");
    }

    [Fact]
    public async Task RandomUserNameFlood_AtMaximumRate_LegitimateClientSucceedsAndNoCredentialSelects()
    {
        var figures = await FloodAsync("a: random USERNAME, max rate", FloodTemplate.RandomUserName(ServedTurnstone.Realm), rate: 0, SpreadSources);
        AssertDoneWhen(figures);
    }

    [Fact]
    public async Task RandomUserHashFlood_AtMaximumRate_LegitimateClientSucceedsAndNoCredentialSelects()
    {
        var figures = await FloodAsync("b: random USERHASH, max rate", FloodTemplate.RandomUserHash(ServedTurnstone.Realm), rate: 0, SpreadSources);
        AssertDoneWhen(figures);
    }

    [Fact]
    public async Task RepeatedUserHash_At5000PerSecond_CausesNoCredentialSelects()
    {
        var figures = await FloodAsync("c: one repeated USERHASH, 5k/s", FloodTemplate.RepeatedUserHash(ServedTurnstone.Realm), RepeatedUserHashRate, sources: 1);
        AssertDoneWhen(figures);
    }

    private async Task<FloodFigures> FloodAsync(string mode, FloodTemplate template, int rate, int sources)
    {
        // One source: 127.0.7.1, not the legitimate client's 127.0.0.1 (nor its /24), so limits per source or prefix
        // that hold the flood back do not hold the legitimate client back with it.
        var sockets = sources > 1
            ? FloodSources.Create(fixture.Server.UdpEndPoint, sources, spread: true)
            : [FloodSources.CreateAt(fixture.Server.UdpEndPoint, new System.Net.IPAddress([127, 0, 7, 1]))];
        try
        {
            var plan = new FloodPlan([template], sockets, rate, MaxMessages: 20_000_000, FloodDuration);
            var figures = await FloodMeasurement.RunAsync(fixture, mode, plan);
            FiguresLog.Write(output, mode, figures.ToString());
            return figures;
        }
        finally
        {
            FloodSources.Dispose(sockets);
        }
    }

    private static void AssertDoneWhen(FloodFigures figures)
    {
        Assert.True(figures.Cycles.Attempted >= HostileBars.MinLegitimateCycles, $"The legitimate client got through only {figures.Cycles.Attempted} cycles: {figures}");
        Assert.True(figures.Cycles.SuccessRatio >= HostileBars.MinLegitimateSuccessRatio, $"Legitimate cycles below {HostileBars.MinLegitimateSuccessRatio:P0}: {figures}");
        Assert.True(figures.CredentialSelects <= HostileBars.MaxCredentialSelectsFromJunkNonceFlood, $"The flood caused credential SELECTs: {figures}");
        Assert.True(figures.ResidentPeak - figures.ResidentBefore <= HostileBars.MaxResidentGrowthBytes, $"The server's memory grew too much: {figures}");
    }
}
