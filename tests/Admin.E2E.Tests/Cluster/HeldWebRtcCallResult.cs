using System.Text.Json;
using System.Text.Json.Serialization;

namespace Admin.E2E.Tests.Cluster;

/// <summary>What the call page reported.</summary>
internal sealed record HeldWebRtcCallResult
{
    [JsonPropertyName("opened")] public bool Opened { get; init; }

    [JsonPropertyName("echoed")] public bool Echoed { get; init; }

    [JsonPropertyName("localCandidateType")] public string? LocalCandidateType { get; init; }

    /// <summary>The relayed address the selected pair used on the offering side (the TURN server that relayed it).</summary>
    [JsonPropertyName("localAddress")] public string? LocalAddress { get; init; }

    [JsonPropertyName("remoteAddress")] public string? RemoteAddress { get; init; }

    [JsonPropertyName("candidates")] public IReadOnlyList<string> Candidates { get; init; } = [];

    [JsonPropertyName("candidateErrors")] public IReadOnlyList<string> CandidateErrors { get; init; } = [];

    [JsonPropertyName("error")] public string? Error { get; init; }

    public override string ToString() => JsonSerializer.Serialize(this);
}
