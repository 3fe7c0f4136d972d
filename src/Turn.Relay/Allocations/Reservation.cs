using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>
/// A port held for a later Allocate with RESERVATION-TOKEN (RFC 8656 section 7.2, EVEN-PORT R bit). It counts against
/// the quotas of the user who reserved it (<paramref name="Realm"/>, <paramref name="QuotaUser"/>) until it is claimed
/// or expires, so reservations cannot hold ports that no quota sees.
/// </summary>
internal sealed record Reservation(ulong Token, IRelaySocket Socket, long ExpiresAt, string Realm, string QuotaUser);
