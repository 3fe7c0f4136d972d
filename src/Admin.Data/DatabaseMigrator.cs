using System.Net.Sockets;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Admin.Data;

/// <summary>
/// Applies the EF Core migrations (at start of <c>serve</c> and by the <c>migrate</c> verb).
/// Concurrent starts are safe: EF Core takes a database lock while migrating. A database already up to date is
/// recognized with two plain queries (the history table exists; its IDs) and no EF Core context: building the model and the migrator only to find nothing to do
/// left about 25 MB in every <c>serve</c> process that nobody used afterwards (docs/PERFORMANCE.md).
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<AdminDbContext> contextFactory,
    NpgsqlDataSource dataSource,
    ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies pending migrations; returns the names of those applied.</summary>
    /// <exception cref="DatabaseUnavailableException">The database cannot be reached or refuses the login.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await EnsureReachableAsync(cancellationToken);
        if (await IsUpToDateAsync(cancellationToken))
        {
            LogUpToDate(logger, Target);
            return [];
        }
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        // On an empty database EF Core reads the history table before creating it and logs the failed query as
        // an Error (twice). Creating it first (idempotent, as EF itself does) keeps the first start's log clean.
        await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            LogUpToDate(logger, Target);
            return [];
        }
        LogApplying(logger, pending.Count, Target);
        await context.Database.MigrateAsync(cancellationToken);
        LogApplied(logger, string.Join(", ", pending));
        return pending;
    }

    /// <summary>Names of migrations not yet applied.</summary>
    public async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken)
    {
        await EnsureReachableAsync(cancellationToken);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Without a history table everything is pending; asking EF (even its ExistsAsync) would run a failing query
        // and log it as an Error, so ask the catalog.
        if (!await HistoryTableExistsAsync(cancellationToken)) return context.Database.GetMigrations().ToList();
        return (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
    }

    /// <summary>
    /// The IDs of the migrations of <see cref="AdminDbContext"/> in <see cref="AdminDbContext.MigrationsAssembly"/>, found
    /// as EF Core finds them (a <see cref="Migration"/> with <see cref="DbContextAttribute"/> for the context and a
    /// <see cref="MigrationAttribute"/>), without a context.
    /// </summary>
    internal static IReadOnlyList<string> KnownMigrationIds { get; } = Assembly.Load(AdminDbContext.MigrationsAssembly).GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract
            && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(AdminDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToList();

    // Every known migration is in the history table: nothing to apply. Anything else (no table, one missing, a read
    // that fails) goes to EF Core, which decides.
    private async Task<bool> IsUpToDateAsync(CancellationToken cancellationToken)
    {
        if (KnownMigrationIds.Count == 0 || !await HistoryTableExistsAsync(cancellationToken)) return false;
        await using var command = dataSource.CreateCommand($"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\"");
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetString(0));
        }
        return KnownMigrationIds.All(applied.Contains);
    }

    private async Task<bool> HistoryTableExistsAsync(CancellationToken cancellationToken)
    {
        // to_regclass resolves the name on the search_path, as EF's own queries do, and answers null when absent.
        await using var command = dataSource.CreateCommand("SELECT to_regclass(quote_ident($1)) IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = HistoryRepository.DefaultTableName });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Opens one connection, turning any failure into a message that names the target without the password.</summary>
    /// <exception cref="DatabaseUnavailableException">The database cannot be reached or refuses the login.</exception>
    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new DatabaseUnavailableException(
                $"Cannot connect to PostgreSQL ({Target}): {e.Message.TrimEnd('.')}. " +
                "Check ConnectionStrings:Admin (or ConnectionStrings__Admin) and that the server is running.", e);
        }
    }

    private string Target => DatabaseTarget.Describe(dataSource.ConnectionString);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Database schema is up to date ({Target})")]
    private static partial void LogUpToDate(ILogger logger, string target);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Applying {Count} migration(s) to {Target}")]
    private static partial void LogApplying(ILogger logger, int count, string target);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Applied migrations: {Migrations}")]
    private static partial void LogApplied(ILogger logger, string migrations);
}
