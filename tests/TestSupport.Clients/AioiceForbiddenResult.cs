using System.Text.Json.Serialization;

namespace Turnstone.TestSupport.Clients;

/// <summary>The JSON aioice_turn_client.py prints in forbidden mode.</summary>
public sealed record AioiceForbiddenResult
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }

    [JsonPropertyName("step")] public string? Step { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("error_code")] public int? ErrorCode { get; init; }

    [JsonPropertyName("relayed_address")] public IReadOnlyList<object>? RelayedAddress { get; init; }

    [JsonPropertyName("peers")] public IReadOnlyList<AioicePeerOutcome> Peers { get; init; } = [];

    [JsonIgnore] public string Output { get; init; } = string.Empty;
}
