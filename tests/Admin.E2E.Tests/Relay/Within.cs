using System.Diagnostics;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// Polls a condition until it holds or a deadline passes (bounded: the test stops by itself either way).
/// Issue 3 asks for database changes to reach the relay "within a second", so that is the deadline used.
/// </summary>
internal static class Within
{
    public static readonly TimeSpan ASecond = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Asserts that <paramref name="condition"/> became true within <paramref name="deadline"/>; returns how long it took.</summary>
    public static async Task<TimeSpan> AssertAsync(TimeSpan deadline, Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return clock.Elapsed;
            if (clock.Elapsed >= deadline) break;
            await Task.Delay(Interval);
        }
        Assert.Fail($"{what}: still not the case after {clock.Elapsed.TotalMilliseconds:F0} ms (deadline {deadline.TotalMilliseconds:F0} ms)");
        return clock.Elapsed;
    }
}
