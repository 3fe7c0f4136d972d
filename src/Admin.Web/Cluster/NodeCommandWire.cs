using System.Text.Json.Serialization;

namespace Admin.Web.Cluster;

/// <summary>
/// Body of a terminate command sent to a peer: the realm the issuing admin is limited to (null for a superuser; the
/// peer ends only an allocation of that realm, so a realm admin cannot reach another realm through a peer), and for a
/// user's allocations the realm and user.
/// </summary>
public sealed record TerminateCommandWire(
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("realm")] string? Realm = null,
    [property: JsonPropertyName("user")] string? User = null);

/// <summary>A peer's answer to a terminate command: how many allocations it ended, and the one allocation's details for the audit row.</summary>
public sealed record TerminateResultWire(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("allocation")] AllocationWire? Allocation = null);

/// <summary>A peer's drain state after a drain or resume command: whether it changed, and its live allocations.</summary>
public sealed record DrainResultWire(
    [property: JsonPropertyName("draining")] bool Draining,
    [property: JsonPropertyName("changed")] bool Changed,
    [property: JsonPropertyName("live")] int LiveAllocations);
