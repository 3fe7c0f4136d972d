using System.Text.Json.Serialization;

namespace Turnstone.TestSupport.Clients;

/// <summary>The JSON aioice_turn_client.py prints in hold mode.</summary>
public sealed record AioiceHoldResult
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }

    /// <summary>The step it reached (or failed in): allocate, create_permission, hold, delete, done.</summary>
    [JsonPropertyName("step")] public string? Step { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("error_code")] public int? ErrorCode { get; init; }

    [JsonPropertyName("relayed_address")] public IReadOnlyList<object>? RelayedAddress { get; init; }

    /// <summary>ChannelData payload bytes sent to the peer / echoed back.</summary>
    [JsonPropertyName("bytes_sent")] public long BytesSent { get; init; }

    [JsonPropertyName("bytes_received")] public long BytesReceived { get; init; }

    [JsonPropertyName("messages_sent")] public int MessagesSent { get; init; }

    [JsonPropertyName("messages_echoed")] public int MessagesEchoed { get; init; }

    /// <summary>Successful Refreshes while holding.</summary>
    [JsonPropertyName("refreshes")] public int Refreshes { get; init; }

    /// <summary>The error code of the Refresh that failed (437 once the server ended the allocation); 0 when none failed.</summary>
    [JsonPropertyName("refresh_error")] public int RefreshError { get; init; }

    /// <summary>The client deleted the allocation itself at the end (no Refresh failed).</summary>
    [JsonPropertyName("deleted")] public bool Deleted { get; init; }

    [JsonPropertyName("stopped_by_file")] public bool StoppedByFile { get; init; }

    /// <summary>Everything the script printed (for assertion messages).</summary>
    [JsonIgnore] public string Output { get; init; } = "";
}
