using System.Diagnostics;
using Npgsql;

namespace Admin.Data.Tests.Credentials;

/// <summary>
/// Counts the credential store's SELECTs against one test database, from Npgsql's own tracing (one activity per
/// command, tagged with the database name and the query text), so tests in other databases do not count.
/// </summary>
internal sealed class SelectCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly string _database;
    private readonly string _queryStart;
    private int _count;

    public SelectCounter(string connectionString, string queryStart)
    {
        _database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        _queryStart = queryStart;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The store's lookup of a user's key by (realm, name).</summary>
    public const string UserKeyQuery = "SELECT hmackey, disabled FROM turnusers_lt";

    /// <summary>The store's lookup of a user name by USERHASH.</summary>
    public const string UserHashQuery = "SELECT name FROM turnusers_lt WHERE userhash";

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        if (activity.GetTagItem("db.namespace") as string != _database) return;
        if (activity.GetTagItem("db.query.text") is string text && text.StartsWith(_queryStart, StringComparison.Ordinal)) Interlocked.Increment(ref _count);
    }
}
