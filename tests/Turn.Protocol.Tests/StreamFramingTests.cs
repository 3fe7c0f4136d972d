namespace Turn.Protocol.Tests;

public class StreamFramingTests
{
    [Fact]
    public void TryGetFrameLength_StunMessage_Is20PlusLength()
    {
        byte[] message = RfcVectors.SampleRequest;

        Assert.Equal(StreamFrameStatus.Frame, StreamFraming.TryGetFrameLength(message, out var kind, out int length));

        Assert.Equal(PacketKind.Stun, kind);
        Assert.Equal(message.Length, length);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 8)]
    [InlineData(4, 8)]
    [InlineData(5, 12)]
    public void TryGetFrameLength_ChannelData_IsPaddedToFour(int dataLength, int expected)
    {
        var buffer = new byte[4];
        buffer[0] = 0x40;
        buffer[3] = (byte)dataLength;

        Assert.Equal(StreamFrameStatus.Frame, StreamFraming.TryGetFrameLength(buffer, out var kind, out int length));

        Assert.Equal(PacketKind.ChannelData, kind);
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000100582112a4")] // STUN needs 8 bytes to check the cookie
    [InlineData("40")]
    [InlineData("400000")]
    public void TryGetFrameLength_Prefix_NeedsMoreData(string hex)
    {
        Assert.Equal(StreamFrameStatus.NeedMoreData, StreamFraming.TryGetFrameLength(TestHex.Parse(hex), out _, out _));
    }

    [Theory]
    [InlineData("80")]
    [InlineData("c0000000")]
    [InlineData("16030100a5010000")] // a TLS ClientHello on the plain port: bits 00 but no magic cookie
    [InlineData("000100572112a442")] // STUN length not a multiple of 4
    [InlineData("0001005821120000")] // STUN without the magic cookie
    public void TryGetFrameLength_Garbage_IsInvalid(string hex)
    {
        Assert.Equal(StreamFrameStatus.Invalid, StreamFraming.TryGetFrameLength(TestHex.Parse(hex), out _, out _));
    }

    [Fact]
    public void TryGetFrameLength_HttpRequest_LooksLikeChannelDataOfUnboundChannel()
    {
        // "GET " starts with 0x47 (bits 01), so framing can only call it ChannelData on channel 0x4745
        // with length 0x5420; the relay drops it as an unbound channel (and times out the stall).
        byte[] bytes = "GET / HTTP/1.1\r\n"u8.ToArray();

        Assert.Equal(StreamFrameStatus.Frame, StreamFraming.TryGetFrameLength(bytes, out var kind, out int length));

        Assert.Equal(PacketKind.ChannelData, kind);
        Assert.Equal(4 + 0x5420, length);
    }

    [Fact]
    public void MaxFrameLength_CoversTheLargestFrameOfEitherKind()
    {
        byte[] stun = TestHex.Parse("0001fffc2112a442");
        byte[] channel = TestHex.Parse("4000ffff");

        StreamFraming.TryGetFrameLength(stun, out _, out int stunLength);
        StreamFraming.TryGetFrameLength(channel, out _, out int channelLength);

        Assert.Equal(20 + 0xFFFC, stunLength);
        Assert.Equal(4 + 65536, channelLength);
        Assert.Equal(StreamFraming.MaxFrameLength, Math.Max(stunLength, channelLength));
    }

    [Fact]
    public void TryGetFrameLength_StreamOfMixedFrames_SplitsExactly()
    {
        var stream = new List<byte>();
        stream.AddRange(RfcVectors.SampleRequest);
        var channelData = new byte[12];
        ChannelData.TryWrite(channelData, 0x4001, [1, 2, 3, 4, 5], padToFour: true, out int written);
        stream.AddRange(channelData[..written]);
        stream.AddRange(RfcVectors.SampleIPv6Response);
        byte[] bytes = [.. stream];

        var frames = new List<(PacketKind, int)>();
        int offset = 0;
        while (StreamFraming.TryGetFrameLength(bytes.AsSpan(offset), out var kind, out int length) == StreamFrameStatus.Frame)
        {
            frames.Add((kind, length));
            offset += length;
        }

        Assert.Equal(bytes.Length, offset);
        Assert.Equal([(PacketKind.Stun, RfcVectors.SampleRequest.Length), (PacketKind.ChannelData, 12), (PacketKind.Stun, RfcVectors.SampleIPv6Response.Length)], frames);
    }
}
