namespace Admin.Data.Realms;

/// <summary>
/// Tells this process's <see cref="PostgresRealmDirectory"/> that an admin change here touched realms, origins or host
/// names, so it reloads at once instead of at its next interval. Changes made by other processes arrive by the interval.
/// </summary>
public sealed class RealmDirectorySignal
{
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>Called after a committed change; several before the next reload count as one.</summary>
    public void Notify()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reload is already pending.
        }
    }

    /// <summary>True when a change was signalled within <paramref name="timeout"/>.</summary>
    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);
}
