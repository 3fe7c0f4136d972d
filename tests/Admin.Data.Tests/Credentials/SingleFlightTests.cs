using Admin.Data.Credentials;

namespace Admin.Data.Tests.Credentials;

/// <summary>One read per key at a time, shared by every caller; no caller's cancellation fails the others.</summary>
public sealed class SingleFlightTests
{
    [Fact]
    public async Task ConcurrentCallers_ShareOneRead_AndAfterItEndsANewReadRuns()
    {
        var flight = new SingleFlight<string, int>();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        ValueTask<int> Read(CancellationToken _)
        {
            Interlocked.Increment(ref reads);
            return new ValueTask<int>(gate.Task);
        }

        var callers = Enumerable.Range(0, 50).Select(_ => flight.RunAsync("k", Read, CancellationToken.None).AsTask()).ToArray();
        gate.SetResult(42);

        Assert.All(await Task.WhenAll(callers), v => Assert.Equal(42, v));
        Assert.Equal(1, reads);
        Assert.Equal(0, flight.Count);
        Assert.Equal(7, await flight.RunAsync("k", _ => ValueTask.FromResult(7), CancellationToken.None));
    }

    [Fact]
    public async Task FirstCallerCancelling_DoesNotFailTheOthers()
    {
        var flight = new SingleFlight<string, int>();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var first = flight.RunAsync("k", _ => new ValueTask<int>(gate.Task), impatient.Token).AsTask();
        var second = flight.RunAsync("k", _ => throw new InvalidOperationException("not shared"), CancellationToken.None).AsTask();
        impatient.Cancel();
        gate.SetResult(5);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(5, await second);
    }

    [Fact]
    public async Task AFailedRead_FailsItsCallers_AndIsNotKept()
    {
        var flight = new SingleFlight<string, int>();

        await Assert.ThrowsAsync<TimeoutException>(() => flight.RunAsync("k", _ => throw new TimeoutException(), CancellationToken.None).AsTask());

        Assert.Equal(0, flight.Count);
        Assert.Equal(1, await flight.RunAsync("k", _ => ValueTask.FromResult(1), CancellationToken.None));
    }
}
