using Admin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.Data.Tests;

/// <summary>The context factory every service holds is the deferred one, with EF Core's pooled factory behind it.</summary>
public sealed class DeferredDbContextFactoryTests
{
    [Fact]
    public async Task Factory_IsTheDeferredOne_AndPoolsContexts()
    {
        // No database is needed: a context opens no connection until it queries.
        await using var services = AdminDataFixture.BuildServices("Host=127.0.0.1;Port=1;Database=unused;Username=unused");
        var factory = services.GetRequiredService<IDbContextFactory<AdminDbContext>>();
        Assert.IsType<DeferredDbContextFactory>(factory);

        AdminDbContext first;
        await using (var context = await factory.CreateDbContextAsync())
            first = context;
        // Disposed, it went back to the pool, and the next one asked for is that same context.
        await using var second = factory.CreateDbContext();
        Assert.Same(first, second);
    }
}
