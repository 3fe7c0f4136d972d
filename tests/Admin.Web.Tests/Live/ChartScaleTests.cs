using Admin.Web.Live;

namespace Admin.Web.Tests.Live;

public sealed class ChartScaleTests
{
    [Theory]
    [InlineData(0, "bit/s", 1, 1)]
    [InlineData(15_360_000, "Mbit/s", 5, 20)]
    [InlineData(9_999, "bit/s", 2000, 10000)]
    [InlineData(12_000, "kbit/s", 5, 15)]
    [InlineData(2_500_000_000, "Mbit/s", 500, 2500)]
    [InlineData(25_000_000_000, "Gbit/s", 5, 25)]
    public void ForRates_PicksUnitAndNiceSteps(double max, string unit, int step, int top)
    {
        var scale = ChartScale.ForRates(max);
        Assert.Equal(unit, scale.Unit);
        Assert.Equal(step, scale.Step);
        Assert.Equal(top, scale.Top);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(7, 2)]
    [InlineData(40, 10)]
    [InlineData(130, 50)]
    public void NiceStep_IsOneTwoOrFiveTimesAPowerOfTen(double max, int step) => Assert.Equal(step, ChartScale.NiceStep(max));
}
