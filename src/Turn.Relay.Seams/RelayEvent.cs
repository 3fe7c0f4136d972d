using System.Net;

namespace Turn.Relay.Seams;

/// <summary>
/// One lifecycle event. <see cref="AllocationId"/> is empty for events outside an allocation
/// (an auth failure on Allocate). Counters are the allocation's totals at the time of the event
/// (filled for Refreshed and Deleted), so usage can be rolled up from deltas: bytes and packets each way.
/// </summary>
public readonly record struct RelayEvent(
    RelayEventKind Kind,
    DateTimeOffset At,
    string AllocationId,
    string Username,
    string Realm,
    IPEndPoint? ClientAddress,
    RelayTransport Transport,
    string? Reason,
    long BytesFromClient,
    long BytesToClient,
    long PacketsFromClient,
    long PacketsToClient);
