using System.Globalization;

namespace Admin.Web.Portal;

/// <summary>
/// Byte figures as the portal shows them: binary (IEC) prefixes, B, KiB, MiB, GiB, TiB, everywhere (table, chart,
/// Usage page). The API and CSV carry plain bytes, so nothing is ever rounded twice.
/// </summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>"0 B", "1.5 KiB", "12.3 MiB", "1.21 GiB".</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        var (value, unit) = Scale(bytes);
        return value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <summary>The largest unit in which <paramref name="bytes"/> is at least 1, and the value in it.</summary>
    public static (double Value, string Unit) Scale(long bytes)
    {
        var index = 0;
        double value = Math.Max(0, bytes);
        while (value >= 1024 && index < Units.Length - 1)
        {
            value /= 1024;
            index++;
        }
        return (value, Units[index]);
    }

    /// <summary>The divisor and name of the unit a chart whose largest value is <paramref name="max"/> uses.</summary>
    public static (double Divisor, string Unit) ChartUnit(long max)
    {
        var index = 0;
        double divisor = 1;
        while (max / divisor >= 1024 && index < Units.Length - 1)
        {
            divisor *= 1024;
            index++;
        }
        return (divisor, Units[index]);
    }
}
