using System.Text.Json.Serialization;

namespace Turnstone.TestSupport.Clients;

/// <summary>The JSON aioice_turn_client.py prints in relay mode.</summary>
public sealed record AioiceRelayResult
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }

    /// <summary>The step it reached (or failed in): allocate, create_permission, send_indication, channel_data, refresh, delete, refresh_after_delete, done.</summary>
    [JsonPropertyName("step")] public string? Step { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>The STUN error code of a failed transaction, -1 when there was none.</summary>
    [JsonPropertyName("error_code")] public int? ErrorCode { get; init; }

    [JsonPropertyName("relayed_address")] public IReadOnlyList<object>? RelayedAddress { get; init; }

    [JsonPropertyName("mapped_address")] public IReadOnlyList<object>? MappedAddress { get; init; }

    [JsonPropertyName("lifetime")] public int? Lifetime { get; init; }

    /// <summary>The realm the server announced in its 401.</summary>
    [JsonPropertyName("realm")] public string? Realm { get; init; }

    [JsonPropertyName("permission_created")] public bool PermissionCreated { get; init; }

    /// <summary>A Send indication reached the peer and its echo came back as a Data indication.</summary>
    [JsonPropertyName("data_indication_echoed")] public bool DataIndicationEchoed { get; init; }

    [JsonPropertyName("data_indication_source")] public IReadOnlyList<object>? DataIndicationSource { get; init; }

    [JsonPropertyName("channel_messages_sent")] public int ChannelMessagesSent { get; init; }

    [JsonPropertyName("channel_messages_echoed")] public int ChannelMessagesEchoed { get; init; }

    [JsonPropertyName("channel_number")] public int? ChannelNumber { get; init; }

    [JsonPropertyName("refresh_lifetime")] public int? RefreshLifetime { get; init; }

    [JsonPropertyName("delete_lifetime")] public int? DeleteLifetime { get; init; }

    [JsonPropertyName("deleted")] public bool Deleted { get; init; }

    /// <summary>The error code of a Refresh sent after the delete (437 when the allocation is gone; 0 = it succeeded).</summary>
    [JsonPropertyName("refresh_after_delete_error")] public int? RefreshAfterDeleteError { get; init; }

    /// <summary>The relayed address as "host:port".</summary>
    public string? RelayedEndPoint => RelayedAddress is [var host, var port] ? $"{host}:{port}" : null;

    /// <summary>The raw output (JSON line and stderr), for assertion messages.</summary>
    [JsonIgnore] public string Output { get; init; } = string.Empty;
}
