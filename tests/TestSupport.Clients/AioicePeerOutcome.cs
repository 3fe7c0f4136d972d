using System.Text.Json.Serialization;

namespace Turnstone.TestSupport.Clients;

/// <summary>How the server answered CreatePermission and ChannelBind for one peer (0 = success, else the STUN error code).</summary>
public sealed record AioicePeerOutcome
{
    [JsonPropertyName("peer")] public string Peer { get; init; } = string.Empty;

    [JsonPropertyName("create_permission")] public int CreatePermission { get; init; }

    [JsonPropertyName("channel_bind")] public int ChannelBind { get; init; }
}
