using System.Text;
using Turn.Protocol;

namespace Turn.Relay.Tests.Support;

/// <summary>A response decoded into plain values for assertions.</summary>
internal sealed class StunResponse
{
    public required byte[] Bytes { get; init; }

    public StunMethod Method { get; init; }

    public StunClass Class { get; init; }

    public TransactionId TransactionId { get; init; }

    public int ErrorCode { get; init; }

    public string? Realm { get; init; }

    public string? Nonce { get; init; }

    public TransportAddress? XorRelayedAddress { get; init; }

    public TransportAddress? XorMappedAddress { get; init; }

    public TransportAddress? XorPeerAddress { get; init; }

    public TransportAddress? AlternateServer { get; init; }

    public uint? Lifetime { get; init; }

    public ulong? ReservationToken { get; init; }

    public byte[]? Data { get; init; }

    public ushort[] UnknownAttributes { get; init; } = [];

    public bool HasPasswordAlgorithms { get; init; }

    public bool HasMessageIntegrity { get; init; }

    public bool HasMessageIntegritySha256 { get; init; }

    public bool HasFingerprint { get; init; }

    public string? Software { get; init; }

    public bool IsSuccess => Class == StunClass.SuccessResponse;

    public bool VerifyIntegrity(byte[] key)
    {
        StunMessageReader.TryParse(Bytes, out var reader);
        return HasMessageIntegritySha256 ? reader.VerifyMessageIntegritySha256(key) : reader.VerifyMessageIntegrity(key);
    }

    public static StunResponse Parse(byte[] bytes)
    {
        var error = StunMessageReader.TryParse(bytes, out var reader);
        if (error != StunParseError.None) throw new InvalidOperationException($"Not STUN: {error}");
        var code = 0;
        if (reader.TryGetAttribute(StunAttributeType.ErrorCode, out var errorAttribute)) errorAttribute.TryReadErrorCode(out code, out _);
        ushort[] unknown = [];
        if (reader.TryGetAttribute(StunAttributeType.UnknownAttributes, out var unknownAttribute))
        {
            var buffer = new ushort[16];
            unknownAttribute.TryReadUnknownAttributes(buffer, out var count);
            unknown = buffer[..count];
        }
        ulong? token = null;
        if (reader.TryGetAttribute(StunAttributeType.ReservationToken, out var tokenAttribute) && tokenAttribute.TryReadReservationToken(out var t)) token = t;
        return new StunResponse
        {
            Bytes = bytes,
            Method = reader.Method,
            Class = reader.Class,
            TransactionId = reader.TransactionId,
            ErrorCode = code,
            Realm = reader.TryGetValue(StunAttributeType.Realm, out var realm) ? Encoding.UTF8.GetString(realm) : null,
            Nonce = reader.TryGetValue(StunAttributeType.Nonce, out var nonce) ? Encoding.UTF8.GetString(nonce) : null,
            Software = reader.TryGetValue(StunAttributeType.Software, out var software) ? Encoding.UTF8.GetString(software) : null,
            XorRelayedAddress = reader.TryGetXorAddress(StunAttributeType.XorRelayedAddress, out var relayed) ? relayed : null,
            XorMappedAddress = reader.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped) ? mapped : null,
            XorPeerAddress = reader.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer) ? peer : null,
            AlternateServer = reader.TryGetAttribute(StunAttributeType.AlternateServer, out var alternate) && alternate.TryReadAddress(out var alternateAddress) ? alternateAddress : null,
            Lifetime = reader.TryGetUInt32(StunAttributeType.Lifetime, out var lifetime) ? lifetime : null,
            ReservationToken = token,
            Data = reader.TryGetValue(StunAttributeType.Data, out var data) ? data.ToArray() : null,
            UnknownAttributes = unknown,
            HasPasswordAlgorithms = reader.Contains(StunAttributeType.PasswordAlgorithms),
            HasMessageIntegrity = reader.HasMessageIntegrity,
            HasMessageIntegritySha256 = reader.HasMessageIntegritySha256,
            HasFingerprint = reader.HasFingerprint,
        };
    }
}
