using System.Globalization;

namespace Admin.E2E.Tests.Cluster;

/// <summary>A process's CPU time so far (user + system, from /proc/PID/stat), for measuring what a node spends over a window.</summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of utime/stime in /proc; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Used(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
