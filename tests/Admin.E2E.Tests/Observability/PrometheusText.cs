using System.Text.RegularExpressions;

namespace Admin.E2E.Tests.Observability;

/// <summary>Metric names: the series names in a scrape, and the metric names a PromQL expression reads.</summary>
internal static partial class PrometheusText
{
    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "group_left", "group_right"];

    /// <summary>Every sample name in an exposition text (histograms give _bucket, _sum and _count).</summary>
    public static IReadOnlySet<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The metric names a PromQL expression selects (not its functions, label names, strings or keywords).</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Groupings().Replace(text, " ");
        return Identifiers().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The range windows of an expression, e.g. "[$__rate_interval]" or "[5m]".</summary>
    public static IEnumerable<string> RangeWindows(string expression) => Ranges().Matches(expression).Select(m => m.Value);

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    // An identifier not followed by "(" (that would be a function).
    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifiers();
}
