using System.Globalization;
using Admin.Data.Entities;

namespace Admin.Data.Administration;

/// <summary>Reads coturn's turn_realm_option text values; unparsable values count as unset (coturn's atoi would read 0).</summary>
internal static class RealmOptionValues
{
    public static RealmLimits ToLimits(IEnumerable<RealmOption> options)
    {
        int? userQuota = null, totalQuota = null;
        long? maxBps = null;
        foreach (var option in options)
        {
            switch (option.Opt)
            {
                case RealmOption.UserQuota: userQuota = ParseInt(option.Value); break;
                case RealmOption.TotalQuota: totalQuota = ParseInt(option.Value); break;
                case RealmOption.MaxBps: maxBps = ParseLong(option.Value); break;
            }
        }
        return new RealmLimits(userQuota, totalQuota, maxBps);
    }

    public static int? ParseInt(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static long? ParseLong(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
