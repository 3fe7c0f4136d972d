using System.Buffers.Binary;
using System.Text;

namespace Turn.Protocol.Tests;

public class StunMessageWriterTests
{
    private static readonly TransactionId Id = new(TestHex.Parse("0102030405060708090a0b0c"));

    public static TheoryData<StunMethod, StunClass> MessageKinds()
    {
        var data = new TheoryData<StunMethod, StunClass>();
        foreach (var method in new[] { StunMethod.Binding, StunMethod.Allocate, StunMethod.Refresh, StunMethod.Send,
                     StunMethod.Data, StunMethod.CreatePermission, StunMethod.ChannelBind })
            foreach (var messageClass in new[] { StunClass.Request, StunClass.Indication, StunClass.SuccessResponse, StunClass.ErrorResponse })
                data.Add(method, messageClass);
        return data;
    }

    [Theory]
    [MemberData(nameof(MessageKinds))]
    public void WriteHeader_EveryMethodAndClass_RoundTrips(StunMethod method, StunClass messageClass)
    {
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer);

        Assert.True(writer.WriteHeader(method, messageClass, Id));

        Assert.Equal(20, writer.Length);
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out var message));
        Assert.Equal(method, message.Method);
        Assert.Equal(messageClass, message.Class);
        Assert.Equal(Id, message.TransactionId);
        Assert.Equal(0, message.Length);
    }

    [Fact]
    public void Write_EveryAttribute_RoundTrips()
    {
        TransportAddress.TryParse("192.0.2.10:5000", out var ipv4);
        TransportAddress.TryParse("[2001:db8::42]:6000", out var ipv6);
        byte[] userHash = UserHash.Compute("user", "realm");
        var buffer = new byte[1024];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.ErrorResponse, Id);

        Assert.True(writer.WriteAddress(StunAttributeType.MappedAddress, ipv4));
        Assert.True(writer.WriteXorAddress(StunAttributeType.XorMappedAddress, ipv6));
        Assert.True(writer.WriteString(StunAttributeType.Username, "user\u00e9"));
        Assert.True(writer.WriteAttribute(StunAttributeType.UserHash, userHash));
        Assert.True(writer.WriteErrorCode(StunErrorCode.StaleNonce));
        Assert.True(writer.WriteUnknownAttributes([0x7001, 0x7002, 0x7003]));
        Assert.True(writer.WriteString(StunAttributeType.Realm, "example.org"));
        Assert.True(writer.WriteString(StunAttributeType.Nonce, "nonce-123"));
        Assert.True(writer.WritePasswordAlgorithms([PasswordAlgorithm.Sha256, PasswordAlgorithm.Md5]));
        Assert.True(writer.WritePasswordAlgorithm(PasswordAlgorithm.Sha256));
        Assert.True(writer.WriteAddress(StunAttributeType.AlternateServer, ipv6));
        Assert.True(writer.WriteString(StunAttributeType.Software, "Turnstone"));
        Assert.True(writer.WriteChannelNumber(0x4001));
        Assert.True(writer.WriteLifetime(3600));
        Assert.True(writer.WriteXorAddress(StunAttributeType.XorPeerAddress, ipv4));
        Assert.True(writer.WriteXorAddress(StunAttributeType.XorPeerAddress, ipv6));
        Assert.True(writer.WriteData([1, 2, 3, 4, 5]));
        Assert.True(writer.WriteXorAddress(StunAttributeType.XorRelayedAddress, ipv4));
        Assert.True(writer.WriteRequestedAddressFamily(StunAddressFamily.IPv6));
        Assert.True(writer.WriteEvenPort(true));
        Assert.True(writer.WriteRequestedTransport(17));
        Assert.True(writer.WriteDontFragment());
        Assert.True(writer.WriteReservationToken(0x0102030405060708));
        Assert.True(writer.WriteAdditionalAddressFamily(StunAddressFamily.IPv6));
        Assert.True(writer.WriteAddressErrorCode(StunAddressFamily.IPv6, 440, "Address Family not Supported"));
        Assert.True(writer.WriteIcmp(3, 1, 0xAABBCCDD));
        Assert.True(writer.WriteMessageIntegrity([7, 7]));
        Assert.True(writer.WriteMessageIntegritySha256([7, 7]));
        Assert.True(writer.WriteFingerprint());
        Assert.False(writer.HasFailed);

        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out var m));
        Assert.True(m.TryGetAddress(StunAttributeType.MappedAddress, out var mapped));
        Assert.Equal(ipv4, mapped);
        Assert.True(m.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var xorMapped));
        Assert.Equal(ipv6, xorMapped);
        Assert.True(m.TryGetValue(StunAttributeType.Username, out var username));
        Assert.Equal("user\u00e9", Encoding.UTF8.GetString(username));
        Assert.True(m.TryGetValue(StunAttributeType.UserHash, out var hash));
        Assert.Equal(userHash, hash.ToArray());
        Assert.True(m.TryGetAttribute(StunAttributeType.ErrorCode, out var error));
        Assert.True(error.TryReadErrorCode(out int code, out var reason));
        Assert.Equal(438, code);
        Assert.Equal("Stale Nonce", Encoding.UTF8.GetString(reason));
        Assert.True(m.TryGetAttribute(StunAttributeType.UnknownAttributes, out var unknownAttribute));
        var unknown = new ushort[4];
        Assert.True(unknownAttribute.TryReadUnknownAttributes(unknown, out int unknownCount));
        Assert.Equal(3, unknownCount);
        Assert.Equal(new ushort[] { 0x7001, 0x7002, 0x7003 }, unknown[..3]);
        Assert.True(m.TryGetValue(StunAttributeType.Realm, out var realm));
        Assert.Equal("example.org", Encoding.UTF8.GetString(realm));
        Assert.True(m.TryGetValue(StunAttributeType.Nonce, out var nonce));
        Assert.Equal("nonce-123", Encoding.UTF8.GetString(nonce));
        Assert.True(m.TryGetAttribute(StunAttributeType.PasswordAlgorithms, out var algorithmsAttribute));
        var algorithms = new PasswordAlgorithm[4];
        Assert.True(algorithmsAttribute.TryReadPasswordAlgorithms(algorithms, out int algorithmCount));
        Assert.Equal(2, algorithmCount);
        Assert.Equal([PasswordAlgorithm.Sha256, PasswordAlgorithm.Md5], algorithms[..2]);
        Assert.True(m.TryGetAttribute(StunAttributeType.PasswordAlgorithm, out var algorithmAttribute));
        Assert.True(algorithmAttribute.TryReadPasswordAlgorithm(out var algorithm, out _));
        Assert.Equal(PasswordAlgorithm.Sha256, algorithm);
        Assert.True(m.TryGetAddress(StunAttributeType.AlternateServer, out var alternate));
        Assert.Equal(ipv6, alternate);
        Assert.True(m.TryGetValue(StunAttributeType.Software, out var software));
        Assert.Equal("Turnstone", Encoding.UTF8.GetString(software));
        Assert.True(m.TryGetAttribute(StunAttributeType.ChannelNumber, out var channelAttribute));
        Assert.True(channelAttribute.TryReadChannelNumber(out ushort channel));
        Assert.Equal(0x4001, channel);
        Assert.True(m.TryGetUInt32(StunAttributeType.Lifetime, out uint lifetime));
        Assert.Equal(3600u, lifetime);
        var peers = new List<TransportAddress>();
        foreach (var peer in m.GetAttributes(StunAttributeType.XorPeerAddress))
        {
            Assert.True(peer.TryReadXorAddress(m.TransactionIdBytes, out var address));
            peers.Add(address);
        }
        Assert.Equal([ipv4, ipv6], peers);
        Assert.True(m.TryGetValue(StunAttributeType.Data, out var data));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, data.ToArray());
        Assert.True(m.TryGetXorAddress(StunAttributeType.XorRelayedAddress, out var relayed));
        Assert.Equal(ipv4, relayed);
        Assert.True(m.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var familyAttribute));
        Assert.True(familyAttribute.TryReadAddressFamily(out var family));
        Assert.Equal(StunAddressFamily.IPv6, family);
        Assert.True(m.TryGetAttribute(StunAttributeType.EvenPort, out var evenPort));
        Assert.True(evenPort.TryReadEvenPort(out bool reserve));
        Assert.True(reserve);
        Assert.True(m.TryGetAttribute(StunAttributeType.RequestedTransport, out var transport));
        Assert.True(transport.TryReadRequestedTransport(out byte protocol));
        Assert.Equal(17, protocol);
        Assert.True(m.TryGetAttribute(StunAttributeType.DontFragment, out var dontFragment));
        Assert.Equal(0, dontFragment.Value.Length);
        Assert.True(m.TryGetAttribute(StunAttributeType.ReservationToken, out var token));
        Assert.True(token.TryReadReservationToken(out ulong tokenValue));
        Assert.Equal(0x0102030405060708UL, tokenValue);
        Assert.True(m.TryGetAttribute(StunAttributeType.AdditionalAddressFamily, out var additional));
        Assert.True(additional.TryReadAddressFamily(out var additionalFamily));
        Assert.Equal(StunAddressFamily.IPv6, additionalFamily);
        Assert.True(m.TryGetAttribute(StunAttributeType.AddressErrorCode, out var addressError));
        Assert.True(addressError.TryReadAddressErrorCode(out var errorFamily, out int addressCode, out var addressReason));
        Assert.Equal(StunAddressFamily.IPv6, errorFamily);
        Assert.Equal(440, addressCode);
        Assert.Equal("Address Family not Supported", Encoding.UTF8.GetString(addressReason));
        Assert.True(m.TryGetAttribute(StunAttributeType.Icmp, out var icmp));
        Assert.True(icmp.TryReadIcmp(out byte icmpType, out byte icmpCode, out uint errorData));
        Assert.Equal((3, 1, 0xAABBCCDDu), (icmpType, icmpCode, errorData));
        Assert.True(m.VerifyMessageIntegrity([7, 7]));
        Assert.True(m.VerifyMessageIntegritySha256([7, 7]));
        Assert.True(m.VerifyFingerprint());
        Assert.Equal(0, m.GetUnknownComprehensionRequired(new ushort[4]));
    }

    [Fact]
    public void WriteString_OddLength_PadsWithZerosAndKeepsHeaderLength()
    {
        var buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Binding, StunClass.Request, Id);

        writer.WriteString(StunAttributeType.Software, "abcde");

        Assert.Equal(20 + 4 + 8, writer.Length);
        Assert.Equal(12, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
        Assert.Equal(5, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(22)));
        Assert.Equal(new byte[] { 0, 0, 0 }, buffer[29..32]);
    }

    [Fact]
    public void WriteMessageIntegrity_Rfc5769SampleResponseBody_ReproducesTheVector()
    {
        // RFC 5769 2.2 pads SOFTWARE with a space (0x20), which is legal but not what we write,
        // so rebuild the same bytes by copying the vector's prefix and then finishing with our writer.
        byte[] vector = RfcVectors.SampleIPv4Response;
        var buffer = new byte[vector.Length];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(BinaryPrimitives.ReadUInt16BigEndian(vector), vector.AsSpan(8, 12));
        writer.WriteAttribute(StunAttributeType.Software, vector.AsSpan(24, 11));
        buffer[35] = 0x20; // the vector's padding byte
        writer.WriteXorAddress(StunAttributeType.XorMappedAddress, TransportAddress.FromIPv4(0xC0000201, 32853));

        Assert.True(writer.WriteMessageIntegrity(Encoding.UTF8.GetBytes(RfcVectors.SamplePassword)));
        Assert.True(writer.WriteFingerprint());

        Assert.Equal(vector, buffer[..writer.Length]);
    }

    [Fact]
    public void WriteMessageIntegrity_Rfc5769LongTermRequest_ReproducesTheVectorExactly()
    {
        byte[] vector = RfcVectors.SampleLongTermRequest;
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Binding, StunClass.Request, new TransactionId(vector.AsSpan(8, 12)));
        writer.WriteString(StunAttributeType.Username, RfcVectors.LongTermUsername);
        writer.WriteString(StunAttributeType.Nonce, RfcVectors.LongTermNonce);
        writer.WriteString(StunAttributeType.Realm, RfcVectors.LongTermRealm);

        writer.WriteMessageIntegrity(LongTermKey.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword));

        Assert.Equal(vector, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteMessageIntegritySha256_Rfc8489Erratum6268Request_ReproducesTheVectorExactly()
    {
        byte[] vector = RfcVectors.Rfc8489SampleErratum6268;
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Binding, StunClass.Request, new TransactionId(vector.AsSpan(8, 12)));
        writer.WriteAttribute(StunAttributeType.UserHash, UserHash.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm));
        writer.WriteString(StunAttributeType.Nonce, RfcVectors.Rfc8489Nonce);
        writer.WriteString(StunAttributeType.Realm, RfcVectors.LongTermRealm);
        writer.WritePasswordAlgorithm(PasswordAlgorithm.Sha256);

        writer.WriteMessageIntegritySha256(LongTermKey.ComputeSha256(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm, RfcVectors.LongTermPassword));

        Assert.Equal(vector, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_BufferTooSmall_ReturnsFalseWithoutThrowingAndKeepsLength()
    {
        var buffer = new byte[28];
        var writer = new StunMessageWriter(buffer);
        Assert.True(writer.WriteHeader(StunMethod.Binding, StunClass.SuccessResponse, Id));
        Assert.True(writer.WriteLifetime(1));

        Assert.False(writer.WriteString(StunAttributeType.Software, "too long"));
        Assert.False(writer.WriteFingerprint());
        Assert.False(writer.WriteMessageIntegrity([1]));

        Assert.True(writer.HasFailed);
        Assert.Equal(28, writer.Length);
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out _));
    }

    [Fact]
    public void WriteData_BeyondTheLengthFieldsReach_ReturnsFalse()
    {
        var buffer = new byte[70_000];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, Id);

        Assert.False(writer.WriteData(new byte[65_532])); // 20 + 4 + 65532 exceeds 20 + 0xFFFC
        Assert.True(writer.WriteData(new byte[65_528]));
        Assert.False(writer.WriteDontFragment());

        Assert.Equal(StunConstants.MaxMessageLength, writer.Length);
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out _));
    }

    [Fact]
    public void Write_AfterFingerprint_ReturnsFalseAndMessageStaysValid()
    {
        var writer = new StunMessageWriter(new byte[128]);
        writer.WriteHeader(StunMethod.Binding, StunClass.Request, Id);
        writer.WriteFingerprint();

        Assert.False(writer.WriteString(StunAttributeType.Software, "late"));
        Assert.False(writer.WriteFingerprint());

        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out var message));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void WriteHeader_BufferTooSmall_ReturnsFalse()
    {
        var writer = new StunMessageWriter(new byte[19]);
        Assert.False(writer.WriteHeader(StunMethod.Binding, StunClass.Request, Id));
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void WriteAttribute_BeforeHeader_ReturnsFalse()
    {
        var writer = new StunMessageWriter(new byte[64]);
        Assert.False(writer.WriteLifetime(1));
        Assert.True(writer.HasFailed);
    }

    [Theory]
    [InlineData(299)]
    [InlineData(700)]
    public void WriteErrorCode_OutOfRange_ReturnsFalse(int code)
    {
        var writer = new StunMessageWriter(new byte[64]);
        writer.WriteHeader(StunMethod.Binding, StunClass.ErrorResponse, Id);
        Assert.False(writer.WriteErrorCode(code, "x"));
    }

    [Fact]
    public void WriteErrorCode_ReasonOver127Characters_ReturnsFalse()
    {
        var writer = new StunMessageWriter(new byte[1024]);
        writer.WriteHeader(StunMethod.Binding, StunClass.ErrorResponse, Id);
        Assert.False(writer.WriteErrorCode(400, new string('a', 128)));
        Assert.True(writer.WriteErrorCode(400, new string('a', 127)));
    }

    [Fact]
    public void WriteAddress_DefaultAddress_ReturnsFalse()
    {
        var writer = new StunMessageWriter(new byte[64]);
        writer.WriteHeader(StunMethod.Binding, StunClass.SuccessResponse, Id);
        Assert.False(writer.WriteXorAddress(StunAttributeType.XorMappedAddress, default));
    }
}
