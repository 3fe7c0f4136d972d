using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Requests;

/// <summary>A request's identity for retransmission detection: transaction id and 5-tuple.</summary>
internal readonly record struct ResponseCacheKey(TransactionId TransactionId, FiveTupleKey FiveTuple);
