namespace Admin.Web.Live;

/// <summary>
/// Axis scales for the dashboard's charts: a unit chosen so the largest value reads as 10 to 9,999 of it (bit/s,
/// kbit/s, Mbit/s, Gbit/s), and "nice" tick steps (1, 2 or 5 times a power of ten) giving about five ticks, so an
/// axis reads 0, 200, 400 kbit/s instead of 1280, 2560 ... 15360.
/// </summary>
public sealed record ChartScale(string Unit, double Divisor, int Step, int Top)
{
    private static readonly (string Unit, double Divisor)[] RateUnits = [("bit/s", 1), ("kbit/s", 1e3), ("Mbit/s", 1e6), ("Gbit/s", 1e9)];

    /// <summary>The scale for bit rates whose largest value is <paramref name="maxBitsPerSecond"/>.</summary>
    public static ChartScale ForRates(double maxBitsPerSecond)
    {
        var (unit, divisor) = RateUnits[0];
        foreach (var candidate in RateUnits)
            if (maxBitsPerSecond / candidate.Divisor >= 10) (unit, divisor) = candidate;
        return Nice(unit, divisor, maxBitsPerSecond / divisor);
    }

    /// <summary>The scale for counts (allocations, events) whose largest value is <paramref name="max"/>.</summary>
    public static ChartScale ForCounts(double max, string unit) => Nice(unit, 1, max);

    /// <summary>A step of 1, 2 or 5 times a power of ten (at least 1) giving at most about five ticks up to the top.</summary>
    public static int NiceStep(double max)
    {
        var rough = Math.Max(max, 5) / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = rough / power <= 1 ? power : rough / power <= 2 ? 2 * power : rough / power <= 5 ? 5 * power : 10 * power;
        return (int)Math.Max(1, Math.Round(step));
    }

    private static ChartScale Nice(string unit, double divisor, double max)
    {
        var step = NiceStep(max);
        var top = (int)(Math.Ceiling(Math.Max(max, 1) / step) * step);
        return new ChartScale(unit, divisor, step, top);
    }

    /// <summary>A value in this scale's unit, for axis labels and tooltips.</summary>
    public string Format(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "0" : "0.#", System.Globalization.CultureInfo.InvariantCulture);
}
