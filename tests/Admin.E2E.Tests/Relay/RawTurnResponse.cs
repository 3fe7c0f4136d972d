using System.Net;

namespace Admin.E2E.Tests.Relay;

/// <summary>What <see cref="RawTurnClient"/> read from an answer: the error code (0 = success), the REALM and NONCE offered, the relayed address.</summary>
internal sealed record RawTurnResponse(int ErrorCode, string? Realm, string? Nonce, IPEndPoint? RelayedAddress);
