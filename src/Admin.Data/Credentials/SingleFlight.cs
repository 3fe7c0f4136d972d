using System.Collections.Concurrent;

namespace Admin.Data.Credentials;

/// <summary>
/// Concurrent misses for one key share one database read: the first caller starts it, every caller (the first too)
/// awaits the same task, and the key is released when it completes. The shared read is not cancelled by any one caller
/// (each stops waiting on its own token; the read ends by itself or by Npgsql's command timeout), so one impatient
/// client cannot fail the others' lookups.
/// </summary>
internal sealed class SingleFlight<TKey, TValue>(IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _inFlight = new(comparer);

    /// <summary>Reads in flight now (for tests).</summary>
    public int Count => _inFlight.Count;

    public async ValueTask<TValue> RunAsync(TKey key, Func<CancellationToken, ValueTask<TValue>> read, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running)) return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            var start = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(key, start.Task)) continue;
            _ = ReadAsync(key, read, start);
            return await start.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadAsync(TKey key, Func<CancellationToken, ValueTask<TValue>> read, TaskCompletionSource<TValue> result)
    {
        try
        {
            result.SetResult(await read(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            result.SetException(e);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, result.Task));
        }
    }
}
