using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>A port held for a later Allocate with RESERVATION-TOKEN (RFC 8656 section 7.2, EVEN-PORT R bit).</summary>
internal sealed record Reservation(ulong Token, IRelaySocket Socket, long ExpiresAt);
