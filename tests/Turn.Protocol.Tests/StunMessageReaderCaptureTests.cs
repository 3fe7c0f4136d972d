using System.Text;

namespace Turn.Protocol.Tests;

/// <summary>
/// Packets that real clients (coturn's turnutils_stunclient and turnutils_uclient, python aioice)
/// exchanged with coturn, captured by Captures/capture_proxy.py. Every message must parse; every
/// MESSAGE-INTEGRITY must verify with the long-term key of u/r/p; every FINGERPRINT must verify.
/// </summary>
public class StunMessageReaderCaptureTests
{
    private static readonly byte[] Key = LongTermKey.Compute("u", "r", "p");

    public static TheoryData<string> Captures() =>
        ["stunclient", "uclient-udp-channel", "uclient-udp-send", "uclient-tcp-channel", "uclient-tcp-send", "aioice-udp", "aioice-tcp"];

    [Theory]
    [MemberData(nameof(Captures))]
    public void TryParse_EveryCapturedMessage_ParsesAndVerifies(string name)
    {
        var capture = CaptureFile.Load(name);
        int stun = 0, channelData = 0, integrity = 0, fingerprints = 0, indications = 0;

        foreach (bool clientToServer in new[] { true, false })
            foreach (byte[] bytes in capture.Messages(clientToServer))
            {
                switch (PacketClassifier.Classify(bytes))
                {
                    case PacketKind.Stun:
                        stun++;
                        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(bytes, out var message));
                        Assert.Equal(0, message.GetUnknownComprehensionRequired(new ushort[8]));
                        if (message.HasMessageIntegrity)
                        {
                            Assert.True(message.VerifyMessageIntegrity(Key), $"{name}: MI of {message.Method} {message.Class}");
                            integrity++;
                        }
                        if (message.HasFingerprint)
                        {
                            Assert.True(message.VerifyFingerprint());
                            fingerprints++;
                        }
                        AssertAttributesDecode(message);
                        if (message.Class == StunClass.Indication)
                        {
                            indications++;
                            Assert.True(message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out _));
                            Assert.True(message.TryGetValue(StunAttributeType.Data, out var payload) && payload.Length > 0);
                        }
                        break;
                    case PacketKind.ChannelData:
                        channelData++;
                        Assert.Equal(ChannelDataParseError.None, ChannelData.TryParse(bytes, out ushort channel, out var data));
                        Assert.True(ChannelData.IsValidChannelNumber(channel, allowRfc5766Range: true));
                        Assert.True(data.Length > 0);
                        break;
                    default:
                        Assert.Fail($"{name}: unclassified packet {Convert.ToHexString(bytes)}");
                        break;
                }
            }

        Assert.True(stun > 0);
        if (name != "stunclient") Assert.True(integrity > 0);
        // uclient -s relays with Send/Data indications; the other runs use channels.
        if (name.EndsWith("-send", StringComparison.Ordinal)) Assert.True(indications > 0 && channelData == 0);
        else if (name != "stunclient") Assert.True(channelData > 0 && indications == 0);
        if (name.StartsWith("uclient", StringComparison.Ordinal)) Assert.True(fingerprints > 0);
    }

    [Fact]
    public void TryParse_StunclientExchange_MappedAddressesAgree()
    {
        var capture = CaptureFile.Load("stunclient");
        byte[] request = capture.Messages(clientToServer: true).Single();
        byte[] response = capture.Messages(clientToServer: false).Single();

        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(request, out var binding));
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(response, out var answer));

        Assert.Equal((StunMethod.Binding, StunClass.Request, 0), (binding.Method, binding.Class, binding.Length));
        Assert.Equal(binding.TransactionId, answer.TransactionId);
        Assert.True(answer.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var xorMapped));
        Assert.True(answer.TryGetAddress(StunAttributeType.MappedAddress, out var mapped));
        Assert.Equal(mapped, xorMapped);
        Assert.Equal(StunAddressFamily.IPv4, xorMapped.Family);
        Assert.Equal((UInt128)0x7F000001, xorMapped.Address);
    }

    [Fact]
    public void TryParse_UclientAllocate_CarriesEvenPortAndGetsReservationToken()
    {
        var capture = CaptureFile.Load("uclient-udp-channel");
        var requests = capture.Messages(clientToServer: true);
        var responses = capture.Messages(clientToServer: false);

        StunMessageReader.TryParse(requests[0], out var first);
        Assert.Equal((StunMethod.Allocate, StunClass.Request), (first.Method, first.Class));
        Assert.True(first.TryGetAttribute(StunAttributeType.RequestedTransport, out var transport));
        Assert.True(transport.TryReadRequestedTransport(out byte protocol));
        Assert.Equal(17, protocol);
        Assert.True(first.TryGetAttribute(StunAttributeType.EvenPort, out var evenPort));
        Assert.True(evenPort.TryReadEvenPort(out bool reserve));
        Assert.True(reserve);

        StunMessageReader.TryParse(responses[0], out var challenge);
        Assert.Equal(StunClass.ErrorResponse, challenge.Class);
        Assert.True(challenge.TryGetAttribute(StunAttributeType.ErrorCode, out var error));
        Assert.True(error.TryReadErrorCode(out int code, out _));
        Assert.Equal(401, code);
        Assert.True(challenge.TryGetValue(StunAttributeType.Realm, out var realm));
        Assert.Equal("r", Encoding.UTF8.GetString(realm));

        StunMessageReader.TryParse(responses[1], out var success);
        Assert.Equal((StunMethod.Allocate, StunClass.SuccessResponse), (success.Method, success.Class));
        Assert.True(success.TryGetXorAddress(StunAttributeType.XorRelayedAddress, out var relayed));
        Assert.Equal((UInt128)0x7F000001, relayed.Address);
        Assert.Equal(0, relayed.Port % 2);
        Assert.True(success.TryGetAttribute(StunAttributeType.ReservationToken, out var token));
        Assert.True(token.TryReadReservationToken(out _));
    }

    [Fact]
    public void VerifyMessageIntegrity_WrongPasswordCapture_FailsWithTheRightKeyAndMatchesTheClientsKey()
    {
        var capture = CaptureFile.Load("uclient-udp-wrong-password");
        byte[] clientKey = LongTermKey.Compute("u", "r", "wrong");
        int authenticated = 0;

        foreach (byte[] bytes in capture.Messages(clientToServer: true))
        {
            Assert.Equal(StunParseError.None, StunMessageReader.TryParse(bytes, out var request));
            if (!request.HasMessageIntegrity) continue;
            authenticated++;
            Assert.False(request.VerifyMessageIntegrity(Key));
            Assert.True(request.VerifyMessageIntegrity(clientKey));
        }
        foreach (byte[] bytes in capture.Messages(clientToServer: false))
        {
            Assert.Equal(StunParseError.None, StunMessageReader.TryParse(bytes, out var response));
            Assert.Equal(StunClass.ErrorResponse, response.Class);
            Assert.True(response.TryGetAttribute(StunAttributeType.ErrorCode, out var error));
            Assert.True(error.TryReadErrorCode(out int code, out _));
            Assert.Equal(401, code);
        }

        Assert.True(authenticated > 0);
    }

    [Fact]
    public void TryParse_UclientSendIndication_CarriesDontFragmentAndPeer()
    {
        var capture = CaptureFile.Load("uclient-udp-send");
        byte[] send = capture.Messages(clientToServer: true).First(b =>
            StunMessageReader.TryParse(b, out var m) == StunParseError.None && m.Method == StunMethod.Send);

        StunMessageReader.TryParse(send, out var message);

        Assert.Equal(StunClass.Indication, message.Class);
        Assert.True(message.Contains(StunAttributeType.DontFragment));
        Assert.True(message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer));
        Assert.Equal((UInt128)0x7F000001, peer.Address);
        Assert.True(message.TryGetValue(StunAttributeType.Data, out var data));
        Assert.Equal(64, data.Length);
        Assert.False(message.HasMessageIntegrity);
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void TryParse_UclientChannelBind_UsesRfc5766ChannelRange()
    {
        // coturn's uclient picks channels in 0x4000-0x7FFF (RFC 5766); RFC 8656 narrowed that to
        // 0x4000-0x4FFF. A server that refuses the upper range breaks this client.
        var capture = CaptureFile.Load("uclient-udp-channel");
        var channels = new List<ushort>();
        foreach (byte[] bytes in capture.Messages(clientToServer: true))
        {
            if (StunMessageReader.TryParse(bytes, out var message) != StunParseError.None || message.Method != StunMethod.ChannelBind) continue;
            Assert.True(message.TryGetAttribute(StunAttributeType.ChannelNumber, out var attribute));
            Assert.True(attribute.TryReadChannelNumber(out ushort channel));
            channels.Add(channel);
        }

        Assert.NotEmpty(channels);
        Assert.All(channels, c => Assert.True(ChannelData.IsValidChannelNumber(c, allowRfc5766Range: true)));
        Assert.Contains(channels, c => !ChannelData.IsValidChannelNumber(c));
    }

    private static void AssertAttributesDecode(StunMessageReader message)
    {
        foreach (var attribute in message.GetAttributes())
        {
            switch (attribute.Type)
            {
                case StunAttributeType.XorMappedAddress or StunAttributeType.XorPeerAddress or StunAttributeType.XorRelayedAddress:
                    Assert.True(attribute.TryReadXorAddress(message.TransactionIdBytes, out _));
                    break;
                case StunAttributeType.MappedAddress:
                    Assert.True(attribute.TryReadAddress(out _));
                    break;
                case StunAttributeType.Lifetime:
                    Assert.True(attribute.TryReadUInt32(out _));
                    break;
                case StunAttributeType.ErrorCode:
                    Assert.True(attribute.TryReadErrorCode(out _, out _));
                    break;
                case StunAttributeType.ChannelNumber:
                    Assert.True(attribute.TryReadChannelNumber(out _));
                    break;
                case StunAttributeType.RequestedTransport:
                    Assert.True(attribute.TryReadRequestedTransport(out _));
                    break;
                case StunAttributeType.EvenPort:
                    Assert.True(attribute.TryReadEvenPort(out _));
                    break;
                case StunAttributeType.ReservationToken:
                    Assert.True(attribute.TryReadReservationToken(out _));
                    break;
            }
        }
    }
}
