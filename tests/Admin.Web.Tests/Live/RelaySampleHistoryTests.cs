using Admin.Web.Live;

namespace Admin.Web.Tests.Live;

public sealed class RelaySampleHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    // The dashboard's longest range is 24 hours of minutes: one hour more than that shows the oldest dropping out.
    private const int Total = 25 * 3600;

    [Fact]
    public void Add_TwentyFiveHoursOfSeconds_KeepsFifteenMinutesAndADay_MinutesAverageRatesAndSumCounts()
    {
        var history = new RelaySampleHistory();
        for (var second = 0; second < Total; second++)
        {
            history.Add(new RelaySample(Start.AddSeconds(second), ActiveAllocations: second / 60, 0, 0, 0,
                BitsPerSecondIn: second % 2 == 0 ? 1000 : 3000, BitsPerSecondOut: 500, AllocationsCreated: 1, AuthFailures: second % 10 == 0 ? 1 : 0, QuotaRejections: 0));
        }

        var seconds = history.Seconds();
        Assert.Equal(RelaySampleHistory.SecondsKept, seconds.Count);
        Assert.Equal(Start.AddSeconds(Total - 1), seconds[^1].At);
        Assert.Equal(Start.AddSeconds(Total - 900), seconds[0].At);

        var minutes = history.Minutes();
        Assert.Equal(RelaySampleHistory.MinutesKept, minutes.Count);
        var full = minutes[^2];
        Assert.Equal(Start.AddMinutes(Total / 60 - 2), full.At);
        Assert.Equal(2000, full.BitsPerSecondIn, 3);
        Assert.Equal(60, full.AllocationsCreated);
        Assert.Equal(6, full.AuthFailures);
        Assert.Equal(Total / 60 - 2, full.ActiveAllocations);

        var lastMinute = history.LastWindow(TimeSpan.FromMinutes(1));
        Assert.Equal(60, lastMinute.AllocationsCreated);
        Assert.Equal(6, lastMinute.AuthFailures);
    }

    [Fact]
    public void Empty_NothingYet()
    {
        var history = new RelaySampleHistory();
        Assert.Empty(history.Seconds());
        Assert.Empty(history.Minutes());
        Assert.Equal(0, history.LastWindow(TimeSpan.FromMinutes(1)).AllocationsCreated);
    }
}
