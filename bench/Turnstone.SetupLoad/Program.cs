using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Turnstone.SetupLoad;

// Sets up --sessions sessions, --concurrency at a time, and prints one JSON line: how many, how fast, how many failed
// and why, and the latency of a whole session. Then it keeps the allocations until a line (or the end) on standard
// input, so a harness can read the server's CPU first, and ends them (Refresh 0 over UDP; the connection over TCP).
SetupLoadOptions options;
try
{
    options = SetupLoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("Turnstone.SetupLoad: " + e.Message);
    Console.Error.WriteLine("usage: Turnstone.SetupLoad --server HOST:PORT --user U --password P [--transport udp|tcp] [--sessions 1000] [--concurrency 100] [--peer 127.0.0.1:9]");
    return 2;
}

using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
var sessions = new (TurnConnection? Connection, TurnSession? Session)[options.Sessions];
var latencies = new double[options.Sessions];
var failures = new Dictionary<string, int>(StringComparer.Ordinal);
var next = -1;
var ok = 0;
var retransmits = 0;
var clock = Stopwatch.StartNew();
var lastSuccess = TimeSpan.Zero;

async Task WorkerAsync()
{
    while (true)
    {
        var index = Interlocked.Increment(ref next);
        if (index >= options.Sessions) return;
        var started = clock.Elapsed;
        TurnConnection? connection = null;
        try
        {
            connection = await TurnConnection.OpenAsync(options.Server, options.Tcp, stop.Token);
            var session = new TurnSession(connection, options);
            sessions[index] = (connection, session);
            try
            {
                await session.RunAsync(stop.Token);
            }
            finally
            {
                Interlocked.Add(ref retransmits, session.Retransmits);
            }
            var done = clock.Elapsed;
            latencies[index] = (done - started).TotalMilliseconds;
            Interlocked.Increment(ref ok);
            lock (failures)
            {
                if (done > lastSuccess) lastSuccess = done;
            }
        }
        catch (Exception e) when (e is SessionFailedException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidDataException)
        {
            latencies[index] = double.NaN;
            var reason = e is SessionFailedException failed ? failed.Message : e.GetType().Name + ": " + e.Message;
            lock (failures) failures[reason] = failures.GetValueOrDefault(reason) + 1;
        }
    }
}

await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(WorkerAsync)));
var succeeded = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
double Percentile(double p) => succeeded.Length == 0 ? 0 : succeeded[Math.Min(succeeded.Length - 1, (int)(p * succeeded.Length))];
var elapsed = lastSuccess.TotalSeconds;
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["transport"] = options.Tcp ? "tcp" : "udp",
    ["sessions"] = options.Sessions,
    ["concurrency"] = options.Concurrency,
    ["ok"] = ok,
    ["failed"] = options.Sessions - ok,
    ["failures"] = failures,
    ["retransmits"] = retransmits,
    ["elapsed_s"] = Math.Round(elapsed, 4),
    ["sessions_per_s"] = elapsed > 0 ? Math.Round(ok / elapsed, 1) : 0,
    ["latency_ms"] = new Dictionary<string, double>
    {
        ["p50"] = Math.Round(Percentile(0.50), 3),
        ["p95"] = Math.Round(Percentile(0.95), 3),
        ["p99"] = Math.Round(Percentile(0.99), 3),
        ["max"] = Math.Round(succeeded.LastOrDefault(), 3),
    },
}));
Console.Out.Flush();

await Console.In.ReadLineAsync();
using var release = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var releaseNext = -1;
async Task ReleaseAsync()
{
    while (true)
    {
        var index = Interlocked.Increment(ref releaseNext);
        if (index >= sessions.Length) return;
        var (connection, session) = sessions[index];
        if (connection is null) continue;
        try
        {
            if (!connection.IsStream && session is not null) await session.ReleaseAsync(release.Token);
        }
        catch (Exception e) when (e is SessionFailedException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // The allocation expires on the server by itself.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(ReleaseAsync)));
return ok == options.Sessions ? 0 : 1;
