using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol.Tests;

public class StunMessageReaderTests
{
    private static readonly byte[] SampleKey = Encoding.UTF8.GetBytes(RfcVectors.SamplePassword);

    [Fact]
    public void TryParse_Rfc5769SampleRequest_ReadsAttributesAndVerifiesIntegrity()
    {
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(RfcVectors.SampleRequest, out var message));

        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(new TransactionId(TestHex.Parse("b7e7a701bc34d686fa87dfae")), message.TransactionId);
        Assert.True(message.TryGetValue(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetValue(StunAttributeType.Username, out var username));
        Assert.Equal(RfcVectors.SampleUsername, Encoding.UTF8.GetString(username));
        // Short-term credentials: the key is the password itself.
        Assert.True(message.VerifyMessageIntegrity(SampleKey));
        Assert.False(message.VerifyMessageIntegrity("wrong"u8));
        Assert.True(message.VerifyFingerprint());
        Assert.Equal(RfcVectors.SampleRequest.Length - 8, message.FingerprintOffset);
        Assert.Equal(RfcVectors.SampleRequest.Length - 32, message.MessageIntegrityOffset);
    }

    [Fact]
    public void TryParse_Rfc5769SampleRequest_ReportsIcePriorityAsUnknownComprehensionRequired()
    {
        // PRIORITY (0x0024) is comprehension-required and an ICE attribute this library does not
        // name; ICE-CONTROLLED (0x8029) is optional, so only PRIORITY is reported.
        StunMessageReader.TryParse(RfcVectors.SampleRequest, out var message);
        Span<ushort> unknown = stackalloc ushort[4];

        int count = message.GetUnknownComprehensionRequired(unknown);

        Assert.Equal(1, count);
        Assert.Equal(0x0024, unknown[0]);
    }

    [Fact]
    public void TryParse_Rfc5769IPv4Response_DecodesXorMappedAddressAndVerifies()
    {
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(RfcVectors.SampleIPv4Response, out var message));

        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.Equal(TransportAddress.FromIPv4(0xC0000201, 32853), mapped);
        Assert.True(message.TryGetValue(StunAttributeType.Software, out var software));
        Assert.Equal("test vector", Encoding.UTF8.GetString(software));
        Assert.True(message.VerifyMessageIntegrity(SampleKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void TryParse_Rfc5769IPv6Response_DecodesXorMappedAddressAndVerifies()
    {
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(RfcVectors.SampleIPv6Response, out var message));

        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped));
        Assert.True(TransportAddress.TryParse("[2001:db8:1234:5678:11:2233:4455:6677]:32853", out var expected));
        Assert.Equal(expected, mapped);
        Assert.True(message.VerifyMessageIntegrity(SampleKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void TryParse_Rfc5769LongTermRequest_VerifiesWithLongTermKey()
    {
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(RfcVectors.SampleLongTermRequest, out var message));

        Assert.True(message.TryGetValue(StunAttributeType.Username, out var username));
        Assert.Equal(RfcVectors.LongTermUsername, Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetValue(StunAttributeType.Nonce, out var nonce));
        Assert.Equal(RfcVectors.LongTermNonce, Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetValue(StunAttributeType.Realm, out var realm));
        Assert.Equal(RfcVectors.LongTermRealm, Encoding.UTF8.GetString(realm));
        byte[] key = LongTermKey.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword);
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
    }

    [Fact]
    public void TryParse_Rfc8489SampleErratum6268_VerifiesSha256IntegrityAndUserHash()
    {
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(RfcVectors.Rfc8489SampleErratum6268, out var message));

        Assert.True(message.TryGetValue(StunAttributeType.UserHash, out var userHash));
        Assert.Equal(UserHash.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm), userHash.ToArray());
        Assert.True(message.TryGetValue(StunAttributeType.Nonce, out var nonce));
        Assert.Equal(RfcVectors.Rfc8489Nonce, Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetValue(StunAttributeType.Realm, out var realm));
        Assert.Equal(RfcVectors.LongTermRealm, Encoding.UTF8.GetString(realm));
        Assert.True(message.TryGetAttribute(StunAttributeType.PasswordAlgorithm, out var algorithmAttribute));
        Assert.True(algorithmAttribute.TryReadPasswordAlgorithm(out var algorithm, out var parameters));
        Assert.Equal(PasswordAlgorithm.Sha256, algorithm);
        Assert.True(parameters.IsEmpty);
        Assert.False(message.HasMessageIntegrity);
        byte[] key = LongTermKey.ComputeSha256(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword);
        Assert.True(message.VerifyMessageIntegritySha256(key));
        byte[] md5Key = LongTermKey.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword);
        Assert.False(message.VerifyMessageIntegritySha256(md5Key));
    }

    [Fact]
    public void TryParse_Rfc8489SampleAsPublished_KnownQuirksAreDetectedAndTheRestMatches()
    {
        // Known quirks of the vector as published in RFC 8489 B.1 (fixed by erratum 6268):
        // 1. The header length is 0x9c (156) but the attributes take 0x88 (136) bytes, so a strict
        //    parser must refuse the message as it stands.
        // 2. MESSAGE-INTEGRITY-SHA256 was computed with that wrong length (0x9c) left in the header
        //    instead of the length up to the attribute, and with the SHA-256 key although no
        //    PASSWORD-ALGORITHM attribute is present (which would mean MD5). So it cannot verify
        //    under section 14.6's rules; we show the HMAC does match that (wrong) computation.
        byte[] published = RfcVectors.Rfc8489SampleAsPublished;
        Assert.Equal(StunParseError.LengthMismatch, StunMessageReader.TryParse(published, out _));

        byte[] corrected = (byte[])published.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(corrected.AsSpan(2), (ushort)(corrected.Length - 20));
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(corrected, out var message));
        Assert.True(message.TryGetValue(StunAttributeType.UserHash, out var userHash));
        Assert.Equal(UserHash.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm), userHash.ToArray());
        Assert.True(message.TryGetValue(StunAttributeType.Nonce, out var nonce));
        Assert.Equal(RfcVectors.Rfc8489Nonce, Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetValue(StunAttributeType.Realm, out var realm));
        Assert.Equal(RfcVectors.LongTermRealm, Encoding.UTF8.GetString(realm));
        Assert.True(message.HasMessageIntegritySha256);
        byte[] sha256Key = LongTermKey.ComputeSha256(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword);
        byte[] md5Key = LongTermKey.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword);
        Assert.False(message.VerifyMessageIntegritySha256(sha256Key));
        Assert.False(message.VerifyMessageIntegritySha256(md5Key));

        int offset = message.MessageIntegritySha256Offset;
        byte[] asComputedByTheRfc = HMACSHA256.HashData(sha256Key, published.AsSpan(0, offset));
        Assert.Equal(published.AsSpan(offset + 4, 32).ToArray(), asComputedByTheRfc);
    }

    [Theory]
    [InlineData(0, StunParseError.TooShort)]
    [InlineData(19, StunParseError.TooShort)]
    public void TryParse_ShortInput_ReturnsTooShort(int length, StunParseError expected)
    {
        Assert.Equal(expected, StunMessageReader.TryParse(RfcVectors.SampleRequest.AsSpan(0, length), out _));
    }

    [Fact]
    public void TryParse_FirstBitsNotZero_ReturnsNotStun()
    {
        byte[] message = (byte[])RfcVectors.SampleRequest.Clone();
        message[0] = 0x40;
        Assert.Equal(StunParseError.NotStun, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_WrongCookie_ReturnsBadMagicCookie()
    {
        byte[] message = (byte[])RfcVectors.SampleRequest.Clone();
        message[4] ^= 1;
        Assert.Equal(StunParseError.BadMagicCookie, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_LengthNotMultipleOfFour_ReturnsError()
    {
        byte[] message = (byte[])RfcVectors.SampleRequest.Clone();
        message[3] = 0x57;
        Assert.Equal(StunParseError.LengthNotMultipleOfFour, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_TrailingBytes_ReturnsLengthMismatch()
    {
        byte[] message = [.. RfcVectors.SampleRequest, 0, 0, 0, 0];
        Assert.Equal(StunParseError.LengthMismatch, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_AttributeLengthPastEnd_ReturnsAttributeTruncated()
    {
        byte[] message = (byte[])RfcVectors.SampleRequest.Clone();
        // SOFTWARE's length (offset 22) claims more than the message holds.
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(22), 0x0100);
        Assert.Equal(StunParseError.AttributeTruncated, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_PaddedValueMissing_ReturnsAttributeTruncated()
    {
        // SOFTWARE of length 1 needs 4 bytes (value and 3 padding) after its header; the message ends at the header.
        byte[] message = Header(0x0001, 4, [0x80, 0x22, 0x00, 0x01]);
        Assert.Equal(StunParseError.AttributeTruncated, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_AttributeAfterFingerprint_ReturnsFingerprintNotLast()
    {
        // FINGERPRINT (with any value) followed by SOFTWARE "late".
        byte[] message = Header(0x0001, 16, TestHex.Parse("80280004 00000000 80220004 6c617465"));
        Assert.Equal(StunParseError.FingerprintNotLast, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void DefaultReader_AfterFailedParse_IsEmptyAndSafeToQuery()
    {
        Assert.NotEqual(StunParseError.None, StunMessageReader.TryParse([1, 2, 3], out var reader));

        Assert.False(reader.HasMessageIntegrity || reader.HasMessageIntegritySha256 || reader.HasFingerprint);
        Assert.False(reader.VerifyMessageIntegrity([1]));
        Assert.False(reader.VerifyMessageIntegritySha256([1]));
        Assert.False(reader.VerifyFingerprint());
        Assert.False(reader.Contains(StunAttributeType.Username));
        Assert.Equal(0, reader.GetUnknownComprehensionRequired(new ushort[1]));
        Assert.Equal((0, 0, default(TransactionId)), (reader.MessageType, reader.Length, reader.TransactionId));
        Assert.True(reader.TransactionIdBytes.IsEmpty);
    }

    [Fact]
    public void GetUnknownComprehensionRequired_EmptyDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            StunMessageReader.TryParse(RfcVectors.SampleRequest, out var message);
            return message.GetUnknownComprehensionRequired([]);
        });
    }

    [Theory]
    [InlineData(0x0008, 16)] // MESSAGE-INTEGRITY must be 20
    [InlineData(0x001C, 12)] // MESSAGE-INTEGRITY-SHA256 at least 16
    [InlineData(0x001C, 36)] // and at most 32
    [InlineData(0x001C, 18)] // and a multiple of 4
    [InlineData(0x8028, 8)]  // FINGERPRINT must be 4
    public void TryParse_IntegrityAttributeWithWrongLength_ReturnsInvalidIntegrityLength(ushort type, int length)
    {
        var attribute = new byte[4 + ((length + 3) & ~3)];
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute.AsSpan(2), (ushort)length);
        byte[] message = Header(0x0001, attribute.Length, attribute);
        Assert.Equal(StunParseError.InvalidIntegrityLength, StunMessageReader.TryParse(message, out _));
    }

    [Fact]
    public void GetAttributes_AfterMessageIntegrity_IgnoresAllButSha256AndFingerprint()
    {
        byte[] key = [1, 2, 3];
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, TransactionId.NewRandom());
        writer.WriteLifetime(600);
        writer.WriteMessageIntegrity(key);
        writer.WriteLifetime(0);                        // must be ignored
        writer.WriteString(StunAttributeType.Software, "x"); // must be ignored
        writer.WriteMessageIntegritySha256(key);
        writer.WriteFingerprint();

        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out var message));
        var seen = new List<StunAttributeType>();
        foreach (var attribute in message.GetAttributes()) seen.Add(attribute.Type);

        Assert.Equal([StunAttributeType.Lifetime, StunAttributeType.MessageIntegrity, StunAttributeType.MessageIntegritySha256, StunAttributeType.Fingerprint], seen);
        Assert.True(message.TryGetUInt32(StunAttributeType.Lifetime, out uint lifetime));
        Assert.Equal(600u, lifetime);
        Assert.False(message.Contains(StunAttributeType.Software));
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.True(message.VerifyMessageIntegritySha256(key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void GetAttributes_WithType_ReturnsEveryPeerAddressInOrder()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.CreatePermission, StunClass.Request, TransactionId.NewRandom());
        var first = TransportAddress.FromIPv4(0x0A000001, 1000);
        TransportAddress.TryParse("[2001:db8::7]:2000", out var second);
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, first);
        writer.WriteString(StunAttributeType.Software, "between");
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, second);

        StunMessageReader.TryParse(writer.WrittenSpan, out var message);
        var peers = new List<TransportAddress>();
        foreach (var attribute in message.GetAttributes(StunAttributeType.XorPeerAddress))
        {
            Assert.True(attribute.TryReadXorAddress(message.TransactionIdBytes, out var peer));
            peers.Add(peer);
        }

        Assert.Equal([first, second], peers);
    }

    [Fact]
    public void GetUnknownComprehensionRequired_ListsEachUnknownRequiredTypeOnce()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, TransactionId.NewRandom());
        writer.WriteAttribute(0x7777, [1]);
        writer.WriteAttribute(0x8888, [2]); // optional: not reported
        writer.WriteAttribute(0x7777, [3]); // repeated: reported once
        writer.WriteAttribute(0x0003, []);  // CHANGE-REQUEST (RFC 5780) is not understood here
        writer.WriteRequestedTransport(17);

        StunMessageReader.TryParse(writer.WrittenSpan, out var message);
        Span<ushort> unknown = stackalloc ushort[8];
        int count = message.GetUnknownComprehensionRequired(unknown);

        Assert.Equal([0x7777, 0x0003], unknown[..count].ToArray());
    }

    [Fact]
    public void VerifyMessageIntegrity_TamperedBody_ReturnsFalse()
    {
        byte[] message = (byte[])RfcVectors.SampleIPv4Response.Clone();
        message[30] ^= 0x01; // inside SOFTWARE
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(message, out var reader));
        Assert.False(reader.VerifyMessageIntegrity(SampleKey));
        Assert.False(reader.VerifyFingerprint());
    }

    [Fact]
    public void VerifyMessageIntegrity_LargeMessage_UsesPooledScratchAndVerifies()
    {
        byte[] key = [9, 9, 9];
        var buffer = new byte[4096];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, TransactionId.NewRandom());
        writer.WriteData(new byte[3000]);
        writer.WriteMessageIntegrity(key);
        writer.WriteMessageIntegritySha256(key);

        StunMessageReader.TryParse(writer.WrittenSpan, out var message);

        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.True(message.VerifyMessageIntegritySha256(key));
    }

    private static byte[] Header(ushort type, int length, byte[] body)
    {
        var message = new byte[20 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), StunConstants.MagicCookie);
        body.CopyTo(message, 20);
        return message;
    }
}
