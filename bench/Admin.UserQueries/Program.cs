using System.Diagnostics;
using System.Globalization;
using System.Text;
using Admin.Data;
using Admin.Data.Administration;
using Admin.UserQueries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Seeds a throwaway database with one realm of N users (default 1,000,000) and times the Users page's queries:
// UserAdministration.ListAsync (a COUNT and one page) with and without a search prefix, both sort orders, first,
// deep and last pages. Prints a markdown report (medians of --runs calls after two warm-ups) with EXPLAIN ANALYZE.
// Needs TURNSTONE_BENCH_PG: a connection string of a PostgreSQL server where databases may be created.

var users = IntOption("--users", 1_000_000);
var runs = IntOption("--runs", 9);
var keep = args.Contains("--keep");
var server = Environment.GetEnvironmentVariable("TURNSTONE_BENCH_PG");
if (string.IsNullOrEmpty(server))
{
    Console.Error.WriteLine("TURNSTONE_BENCH_PG is not set (bench/user-queries.sh starts a throwaway PostgreSQL and sets it).");
    return 2;
}

const string Realm = "big.example";
var database = "bench_users_" + Guid.NewGuid().ToString("N")[..8];
var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
await Execute(admin, $"CREATE DATABASE \"{database}\"");
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, CommandTimeout = 600 }.ConnectionString;
try
{
    var recorder = new CommandRecorder();
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddAdminData(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Admin"] = connectionString }).Build());
    services.ConfigureDbContext<AdminDbContext>(options => options.AddInterceptors(recorder));
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    await provider.GetRequiredService<RealmAdministration>().AddAsync(AdminActor.System, Realm, "1M users", CancellationToken.None);
    await provider.GetRequiredService<RealmAdministration>().AddAsync(AdminActor.System, "small.example", "neighbour realm", CancellationToken.None);

    var seed = Stopwatch.StartNew();
    // The per-row NOTIFY and USERHASH triggers are off for the bulk load (not what is measured here); the
    // statement-level trigger that keeps the per-realm user count stays on, so its cost is in the seed time.
    await Execute(connectionString, $"""
        ALTER TABLE turnusers_lt DISABLE TRIGGER turnstone_notify_row, DISABLE TRIGGER turnstone_userhash;
        INSERT INTO turnusers_lt (realm, name, hmackey, created_at, updated_at)
        SELECT '{Realm}', (ARRAY['alice','bob','carol','dave','erin','frank','grace','heidi','ivan','judy'])[1 + i % 10] || '.' || i,
               md5(i::text), now(), now()
        FROM generate_series(1, {users}) AS i;
        INSERT INTO turnusers_lt (realm, name, hmackey, created_at, updated_at)
        SELECT 'small.example', 'alice.' || i, md5(i::text), now(), now() FROM generate_series(1, 10000) AS i;
        ALTER TABLE turnusers_lt ENABLE TRIGGER turnstone_notify_row, ENABLE TRIGGER turnstone_userhash;
        """);
    // As autovacuum would leave it: statistics current and pages marked all-visible (index-only scans skip the heap).
    await Execute(connectionString, "VACUUM (FREEZE, ANALYZE) turnusers_lt");
    seed.Stop();

    var service = provider.GetRequiredService<UserAdministration>();
    Scenario[] scenarios =
    [
        new("first page, by name", null, false, 0),
        new("first page, by name descending", null, true, 0),
        new($"deep page (offset {users / 2:N0})", null, false, users / 2),
        new("last page", null, false, Math.Max(0, users - 25)),
        new("search 'alice.12' (narrow), first page", "alice.12", false, 0),
        new("search 'ALICE.4242' (case-insensitive), first page", "ALICE.4242", false, 0),
        new("search 'alice' (10 % of the realm), first page", "alice", false, 0),
        new("search 'alice', descending, first page", "alice", true, 0),
        new($"search 'alice', deep page (offset {users / 20:N0})", "alice", false, users / 20),
        new("search 'zzz' (no match)", "zzz", false, 0),
    ];

    var results = new List<ScenarioResult>();
    foreach (var scenario in scenarios)
    {
        var calls = new List<double>();
        var counts = new List<double>();
        var pages = new List<double>();
        var total = 0;
        IReadOnlyList<RecordedCommand> last = [];
        for (var i = 0; i < runs + 2; i++)
        {
            recorder.Clear();
            var watch = Stopwatch.StartNew();
            var page = await service.ListAsync(AdminActor.System, Realm, scenario.Search, scenario.Skip, scenario.Take, CancellationToken.None, scenario.Descending);
            watch.Stop();
            total = page.TotalCount;
            last = recorder.Commands;
            if (i < 2) continue; // warm-up: connection pool, plan cache, buffer cache
            calls.Add(watch.Elapsed.TotalMilliseconds);
            counts.Add(last.Where(IsCount).Sum(c => c.Duration.TotalMilliseconds));
            pages.Add(last.Where(c => !IsCount(c)).Sum(c => c.Duration.TotalMilliseconds));
        }
        var countPlan = await Explain(connectionString, last.First(IsCount));
        var pagePlan = await Explain(connectionString, last.First(c => !IsCount(c)));
        results.Add(new ScenarioResult(scenario, total, Median(calls), Median(counts), Median(pages), countPlan, pagePlan));
        Console.Error.WriteLine($"{scenario.Name}: {Median(calls):F1} ms");
    }

    Console.WriteLine(Report(results, users, runs, seed.Elapsed, await ServerVersion(connectionString)));
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (!keep) await Execute(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    else Console.Error.WriteLine($"kept database {database}");
}

// The total: COUNT(*) with a search, the trigger-kept counter without one.
static bool IsCount(RecordedCommand command) =>
    command.Text.Contains("count(*)", StringComparison.OrdinalIgnoreCase) || command.Text.Contains("turnstone_realm_user_count", StringComparison.Ordinal);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task Execute(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

static async Task<string> ServerVersion(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    return connection.PostgreSqlVersion.ToString();
}

// EXPLAIN ANALYZE of exactly the statement the service ran, with its parameters.
static async Task<string> Explain(string connectionString, RecordedCommand recorded)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + recorded.Text, connection);
    foreach (var parameter in recorded.Parameters) command.Parameters.Add(parameter.Clone());
    var lines = new List<string>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
    return string.Join('\n', lines);
}

static string Report(List<ScenarioResult> results, int users, int runs, TimeSpan seed, string version)
{
    var text = new StringBuilder();
    var inv = CultureInfo.InvariantCulture;
    text.AppendLine(inv, $"Realm of {users:N0} users (+10,000 in a neighbour realm); seeded in {seed.TotalSeconds:F1} s; PostgreSQL {version}; " +
        $"{Environment.ProcessorCount} cores; median of {runs} calls after 2 warm-ups; page size 25.");
    text.AppendLine();
    text.AppendLine("| request | matches | ListAsync (ms) | total (ms) | page query (ms) |");
    text.AppendLine("|---|---:|---:|---:|---:|");
    foreach (var r in results)
        text.AppendLine(inv, $"| {r.Scenario.Name} | {r.TotalCount:N0} | {r.CallMs:F1} | {r.CountMs:F1} | {r.PageMs:F1} |");
    text.AppendLine();
    text.AppendLine("Plans (EXPLAIN ANALYZE of the statements ListAsync ran):");
    foreach (var r in results)
    {
        text.AppendLine();
        text.AppendLine(inv, $"{r.Scenario.Name}:");
        text.AppendLine("```");
        text.AppendLine(r.CountPlan);
        text.AppendLine();
        text.AppendLine(r.PagePlan);
        text.AppendLine("```");
    }
    return text.ToString();
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
        ? value
        : fallback;
}
