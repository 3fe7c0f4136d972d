using System.Globalization;

namespace Admin.E2E.Tests.Hostile;

/// <summary>A process's memory as Linux reports it in /proc/PID/status.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in bytes: resident now. 0 when the process is gone.</summary>
    public static long ResidentBytes(int processId) => Read(processId, "VmRSS:");

    /// <summary>VmHWM in bytes: the highest resident size since the process started. 0 when it is gone.</summary>
    public static long PeakResidentBytes(int processId) => Read(processId, "VmHWM:");

    private static long Read(int processId, string field)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (IOException)
        {
            return 0;
        }
        foreach (var line in lines)
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            // "VmRSS:     315000 kB"
            var parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
