using System.Text.Json.Serialization;

namespace Admin.Web.Cluster;

/// <summary>
/// One node's live allocations as it serves them to its peers (GET /internal/v1/snapshot): its own per-second view,
/// with the rates it measured, in compact JSON (short names, times as Unix milliseconds, transport as a number) made
/// by source generation and serialised once per tick however many peers ask.
/// </summary>
public sealed record NodeSnapshotWire(
    [property: JsonPropertyName("n")] string Node,
    [property: JsonPropertyName("t")] long TakenAtMs,
    [property: JsonPropertyName("s")] NodeTotalsWire Totals,
    [property: JsonPropertyName("a")] IReadOnlyList<AllocationWire> Allocations);

/// <summary>A node's totals for one tick (the dashboard's figures, summed across nodes by the receiver).</summary>
public sealed record NodeTotalsWire(
    [property: JsonPropertyName("u")] long Udp,
    [property: JsonPropertyName("c")] long Tcp,
    [property: JsonPropertyName("l")] long Tls,
    [property: JsonPropertyName("i")] double BitsPerSecondIn,
    [property: JsonPropertyName("o")] double BitsPerSecondOut,
    [property: JsonPropertyName("n")] long AllocationsCreated,
    [property: JsonPropertyName("f")] long AuthFailures,
    [property: JsonPropertyName("q")] long QuotaRejections);

/// <summary>One allocation on the wire.</summary>
public sealed record AllocationWire(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("r")] string Realm,
    [property: JsonPropertyName("u")] string User,
    [property: JsonPropertyName("t")] int Transport,
    [property: JsonPropertyName("c")] string Client,
    [property: JsonPropertyName("a")] string Relayed,
    [property: JsonPropertyName("cr")] long CreatedMs,
    [property: JsonPropertyName("ex")] long ExpiresMs,
    [property: JsonPropertyName("p")] IReadOnlyList<PermissionWire>? Permissions,
    [property: JsonPropertyName("h")] IReadOnlyList<ChannelWire>? Channels,
    [property: JsonPropertyName("bi")] long BytesFromClient,
    [property: JsonPropertyName("pi")] long PacketsFromClient,
    [property: JsonPropertyName("bo")] long BytesToClient,
    [property: JsonPropertyName("po")] long PacketsToClient,
    [property: JsonPropertyName("ri")] double BitsPerSecondIn,
    [property: JsonPropertyName("ro")] double BitsPerSecondOut);

/// <summary>A permission on the wire.</summary>
public sealed record PermissionWire([property: JsonPropertyName("p")] string Peer, [property: JsonPropertyName("e")] long ExpiresMs);

/// <summary>A channel binding on the wire.</summary>
public sealed record ChannelWire([property: JsonPropertyName("n")] int Number, [property: JsonPropertyName("p")] string Peer, [property: JsonPropertyName("e")] long ExpiresMs);
