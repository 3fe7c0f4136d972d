using System.Globalization;
using System.Text.Json.Serialization;

namespace Admin.E2E.Tests.Hostile;

/// <summary>What legit_cycles.py prints.</summary>
internal sealed record CycleResult
{
    [JsonPropertyName("attempted")] public int Attempted { get; init; }

    [JsonPropertyName("succeeded")] public int Succeeded { get; init; }

    /// <summary>Latency of each successful cycle.</summary>
    [JsonPropertyName("latencies_ms")] public IReadOnlyList<double> LatenciesMs { get; init; } = [];

    /// <summary>Failures by kind (exception type, and STUN error code when there was one).</summary>
    [JsonPropertyName("errors")] public IReadOnlyDictionary<string, int> Errors { get; init; } = new Dictionary<string, int>();

    public double SuccessRatio => Attempted == 0 ? 0 : (double)Succeeded / Attempted;

    public double MedianMs => Percentile(0.5);

    public double MaxMs => LatenciesMs.Count == 0 ? 0 : LatenciesMs.Max();

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0) return 0;
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    public override string ToString()
    {
        var failures = Errors.Count == 0 ? "" : "; failures " + string.Join(", ", Errors.Select(e => $"{e.Key}: {e.Value}"));
        return string.Create(CultureInfo.InvariantCulture, $"{Succeeded}/{Attempted} cycles ({SuccessRatio:P0}), median {MedianMs:F1} ms, max {MaxMs:F1} ms{failures}");
    }
}
