namespace Admin.E2E.Tests.Sessions;

/// <summary>Polls a condition (every 200 ms, at most 30 s) and fails the test with a message if it never holds.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> failure)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        Assert.Fail(failure() + " (within 30 s)");
    }
}
