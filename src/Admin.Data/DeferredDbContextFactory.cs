using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.Data;

/// <summary>
/// The pooled <see cref="AdminDbContext"/> factory, built when the first context is asked for. Every service that holds
/// a factory is built at start, and building the pooled factory then (the options, the Npgsql provider, the pool) kept
/// EF Core mapped in every <c>serve</c> process, whose relay and background work use plain Npgsql
/// (docs/PERFORMANCE.md).
/// </summary>
internal sealed class DeferredDbContextFactory(IServiceProvider services) : IDbContextFactory<AdminDbContext>
{
    private readonly Lazy<PooledDbContextFactory<AdminDbContext>> _factory =
        new(services.GetRequiredService<PooledDbContextFactory<AdminDbContext>>, LazyThreadSafetyMode.ExecutionAndPublication);

    public AdminDbContext CreateDbContext() => _factory.Value.CreateDbContext();

    public Task<AdminDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        _factory.Value.CreateDbContextAsync(cancellationToken);
}
