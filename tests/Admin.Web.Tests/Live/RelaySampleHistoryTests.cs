using Admin.Web.Live;

namespace Admin.Web.Tests.Live;

public sealed class RelaySampleHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_TwoHoursOfSeconds_KeepsFifteenMinutesAndAnHour_MinutesAverageRatesAndSumCounts()
    {
        var history = new RelaySampleHistory();
        for (var second = 0; second < 2 * 3600; second++)
        {
            history.Add(new RelaySample(Start.AddSeconds(second), ActiveAllocations: second / 60, 0, 0, 0,
                BitsPerSecondIn: second % 2 == 0 ? 1000 : 3000, BitsPerSecondOut: 500, AllocationsCreated: 1, AuthFailures: second % 10 == 0 ? 1 : 0, QuotaRejections: 0));
        }

        var seconds = history.Seconds();
        Assert.Equal(RelaySampleHistory.SecondsKept, seconds.Count);
        Assert.Equal(Start.AddSeconds(2 * 3600 - 1), seconds[^1].At);
        Assert.Equal(Start.AddSeconds(2 * 3600 - 900), seconds[0].At);

        var minutes = history.Minutes();
        Assert.Equal(RelaySampleHistory.MinutesKept, minutes.Count);
        var full = minutes[^2];
        Assert.Equal(Start.AddMinutes(118), full.At);
        Assert.Equal(2000, full.BitsPerSecondIn, 3);
        Assert.Equal(60, full.AllocationsCreated);
        Assert.Equal(6, full.AuthFailures);
        Assert.Equal(118, full.ActiveAllocations);

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
