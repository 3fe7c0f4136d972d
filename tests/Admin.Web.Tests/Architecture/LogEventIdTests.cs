using System.Reflection;
using Admin.Data;
using Admin.Web.Api.IceServers;
using Microsoft.Extensions.Logging;
using Turn.Relay;

namespace Admin.Web.Tests.Architecture;

/// <summary>
/// Each assembly logs with event ids from its own range, and no id is used twice, so an operator who filters or
/// alerts on an event id gets one kind of event: Turn.Relay 1000-1999, Admin.Data 2000-2999, Admin.Web 3000-3999.
/// Read from the built assemblies' [LoggerMessage] attributes (the source generator keeps them on the methods).
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly (Assembly Assembly, int First, int Last)[] Ranges =
    [
        (typeof(RelayOptions).Assembly, 1000, 1999),
        (typeof(AdminDbContext).Assembly, 2000, 2999),
        (typeof(IceServerUrls).Assembly, 3000, 3999),
    ];

    private static IEnumerable<(Assembly Assembly, string Method, int EventId)> EventIds(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (assembly, $"{type.FullName}.{method.Name}", attribute.EventId);

    [Fact]
    public void EveryAssembly_LogsWithinItsOwnRange()
    {
        var outside = Ranges
            .SelectMany(r => EventIds(r.Assembly).Where(e => e.EventId < r.First || e.EventId > r.Last)
                .Select(e => $"{e.Method} uses {e.EventId}, outside {r.Assembly.GetName().Name}'s {r.First}-{r.Last}"))
            .ToList();

        Assert.True(outside.Count == 0, string.Join(Environment.NewLine, outside));
    }

    [Fact]
    public void NoEventId_IsUsedTwice()
    {
        var all = Ranges.SelectMany(r => EventIds(r.Assembly)).ToList();
        var twice = all.GroupBy(e => e.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}")
            .ToList();

        Assert.True(all.Count > 30, $"only {all.Count} [LoggerMessage] methods found: is the attribute still read?");
        Assert.True(twice.Count == 0, string.Join(Environment.NewLine, twice));
    }
}
