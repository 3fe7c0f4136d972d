using System.Diagnostics;
using System.Globalization;
using Admin.Data;
using Admin.Data.Administration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Admin.UsersPageBench;
using Npgsql;

// Usage: Admin.UsersPageBench <server connection string> [users]
// Creates database turnstone_users_bench (dropped first if present), migrates it, imports N users (default
// 1,000,000) through UserAdministration.ImportAsync (COPY), then times the Users page's queries.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Admin.UsersPageBench <server connection string with CREATE DATABASE rights> [users]");
    return 2;
}
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
const string Database = "turnstone_users_bench";
const string Realm = "bench.example.org";
const int Runs = 7;

var server = new NpgsqlConnectionStringBuilder(args[0]) { Database = "postgres", Pooling = false }.ConnectionString;
await Sql(server, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
await Sql(server, $"CREATE DATABASE {Database}");
var connectionString = new NpgsqlConnectionStringBuilder(args[0]) { Database = Database }.ConnectionString;

var services = new ServiceCollection();
services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Admin"] = connectionString }).Build();
services.AddAdminData(configuration);
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

var actor = AdminActor.Superuser("bench", null);
await provider.GetRequiredService<RealmAdministration>().AddAsync(actor, Realm, "1M users", CancellationToken.None);
var users = provider.GetRequiredService<UserAdministration>();
var rows = Enumerable.Range(0, count).Select(i => new UserImportRow(i + 2, $"user{i:D7}", null, "0123456789abcdef0123456789abcdef")).ToList();
var import = Stopwatch.StartNew();
var result = await users.ImportAsync(actor, Realm, rows, CancellationToken.None);
import.Stop();
if (!result.Succeeded) throw new InvalidOperationException(result.Errors[0].Message);
await Sql(connectionString, "VACUUM ANALYZE turnusers_lt");
Console.WriteLine($"# Users page queries, {count:N0} users in one realm (PostgreSQL {await Scalar(connectionString, "SHOW server_version")})");
Console.WriteLine();
Console.WriteLine($"import of {count:N0} users (validation, duplicate check, COPY, one transaction): {import.Elapsed.TotalSeconds:F1} s");
Console.WriteLine();

// What the page asks for: name order both ways, pages near the start, middle and end, and prefix searches.
(string Name, string? Prefix, int Skip, bool Descending)[] scenarios =
[
    ("first page, name ascending", null, 0, false),
    ("first page, name descending", null, 0, true),
    ("page 401 (skip 10,000)", null, 10_000, false),
    ("middle page (skip count/2)", null, count / 2, false),
    ("last page", null, Math.Max(0, count - 25), false),
    ("search 'user09999' (100 matches)", "user09999", 0, false),
    ("search 'USER0123' (case-insensitive, 1,000 matches)", "USER0123", 0, false),
    ("search 'user0' (all users match)", "user0", 0, false),
    ("search 'nobody' (no match)", "nobody", 0, false),
];

Console.WriteLine("| query (25 rows + total count) | median ms | min ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, prefix, skip, descending) in scenarios)
{
    var times = new List<double>();
    for (var run = 0; run < Runs; run++)
    {
        var watch = Stopwatch.StartNew();
        var page = await users.ListAsync(actor, Realm, prefix, skip, 25, CancellationToken.None, descending);
        watch.Stop();
        if (page.Items.Count == 0 && prefix is null) throw new InvalidOperationException($"{name}: no rows");
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"| {name} | {times[Runs / 2]:F1} | {times[0]:F1} | {times[^1]:F1} |");
}

// Plan pass: auto_explain prints each statement's executed plan to the client.
foreach (var setting in new[] { "session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 0", "auto_explain.log_analyze = on", "client_min_messages = log" })
    await Sql(connectionString, $"ALTER DATABASE {Database} SET {setting}");
Console.WriteLine();
Console.WriteLine("## Plans (EXPLAIN ANALYZE via auto_explain, one run each)");
using var plans = new NoticeCollector();
await using (var planProvider = BuildPlanProvider())
{
    var planUsers = planProvider.GetRequiredService<UserAdministration>();
    foreach (var (name, prefix, skip, descending) in scenarios)
    {
        plans.Plans.Clear();
        await planUsers.ListAsync(actor, Realm, prefix, skip, 25, CancellationToken.None, descending);
        Console.WriteLine();
        Console.WriteLine($"### {name}");
        Console.WriteLine("```");
        foreach (var plan in plans.Plans) Console.WriteLine(plan.Trim());
        Console.WriteLine("```");
    }
}
await Sql(server, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
return 0;

ServiceProvider BuildPlanProvider()
{
    var planServices = new ServiceCollection();
    planServices.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
    planServices.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
    planServices.AddAdminData(configuration);
    // The DbContext uses the last registered NpgsqlDataSource: this one logs server notices (the plans).
    var builder = new NpgsqlDataSourceBuilder(connectionString);
    builder.UseLoggerFactory(LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(plans)));
    planServices.AddSingleton(builder.Build());
    return planServices.BuildServiceProvider();
}

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

static async Task<string?> Scalar(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return (await command.ExecuteScalarAsync())?.ToString();
}
