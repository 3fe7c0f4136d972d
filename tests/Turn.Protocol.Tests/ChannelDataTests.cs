namespace Turn.Protocol.Tests;

public class ChannelDataTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(4, true)]
    [InlineData(100, true)]
    public void TryWrite_TryParse_RoundTrips(int length, bool padToFour)
    {
        byte[] data = Enumerable.Range(0, length).Select(i => (byte)(i + 1)).ToArray();
        var buffer = new byte[200];

        Assert.True(ChannelData.TryWrite(buffer, 0x4001, data, padToFour, out int written));

        Assert.Equal(ChannelData.GetMessageLength(length, padToFour), written);
        Assert.Equal(padToFour ? 4 + ((length + 3) & ~3) : 4 + length, written);
        Assert.Equal(ChannelDataParseError.None, ChannelData.TryParse(buffer.AsSpan(0, written), out ushort channel, out var parsed));
        Assert.Equal(0x4001, channel);
        Assert.Equal(data, parsed.ToArray());
        Assert.All(buffer[(4 + length)..written], b => Assert.Equal(0, b));
    }

    [Fact]
    public void TryWriteHeader_DataAlreadyInPlace_FramesItWithoutCopy()
    {
        var buffer = new byte[16];
        buffer[4] = 0xAA;
        buffer[5] = 0xBB;
        buffer[6] = 0xCC;
        buffer[7] = 0xEE; // stale byte where padding goes

        Assert.True(ChannelData.TryWriteHeader(buffer, 0x4FFF, 3, padToFour: true, out int written));

        Assert.Equal(8, written);
        Assert.Equal(TestHex.Parse("4fff0003aabbcc00"), buffer[..8]);
    }

    [Fact]
    public void TryWrite_DataOverlappingDestination_IsCopiedCorrectly()
    {
        var buffer = new byte[16];
        byte[] data = [1, 2, 3, 4, 5];
        data.CopyTo(buffer, 4);

        Assert.True(ChannelData.TryWrite(buffer, 0x4000, buffer.AsSpan(4, 5), padToFour: false, out int written));

        Assert.Equal(TestHex.Parse("400000050102030405"), buffer[..written]);
    }

    [Fact]
    public void TryParse_PaddedUdpDatagram_IgnoresPadding()
    {
        byte[] datagram = TestHex.Parse("40000001ff000000");
        Assert.Equal(ChannelDataParseError.None, ChannelData.TryParse(datagram, out _, out var data));
        Assert.Equal([0xff], data.ToArray());
    }

    [Theory]
    [InlineData("", ChannelDataParseError.TooShort)]
    [InlineData("400000", ChannelDataParseError.TooShort)]
    [InlineData("3fff0000", ChannelDataParseError.InvalidChannelNumber)]
    [InlineData("80000000", ChannelDataParseError.InvalidChannelNumber)]
    [InlineData("ffff0000", ChannelDataParseError.InvalidChannelNumber)]
    [InlineData("40000005aabbccdd", ChannelDataParseError.Truncated)]
    public void TryParse_BadInput_ReturnsError(string hex, ChannelDataParseError expected)
    {
        Assert.Equal(expected, ChannelData.TryParse(TestHex.Parse(hex), out _, out _));
    }

    [Fact]
    public void TryParse_Rfc5766Channel_IsAcceptedButNotValidForRfc8656Binding()
    {
        // coturn's turnutils_uclient binds channels such as 0x7587 (RFC 5766 allowed 0x4000-0x7FFF).
        Assert.Equal(ChannelDataParseError.None, ChannelData.TryParse(TestHex.Parse("75870000"), out ushort channel, out _));
        Assert.Equal(0x7587, channel);
        Assert.False(ChannelData.IsValidChannelNumber(channel));
        Assert.True(ChannelData.IsValidChannelNumber(channel, allowRfc5766Range: true));
    }

    [Theory]
    [InlineData(0x3FFF, false, false)]
    [InlineData(0x4000, true, true)]
    [InlineData(0x4FFF, true, true)]
    [InlineData(0x5000, false, true)]
    [InlineData(0x7FFF, false, true)]
    [InlineData(0x8000, false, false)]
    [InlineData(0xFFFF, false, false)]
    public void IsValidChannelNumber_Boundaries(int channel, bool rfc8656, bool rfc5766)
    {
        Assert.Equal(rfc8656, ChannelData.IsValidChannelNumber((ushort)channel));
        Assert.Equal(rfc5766, ChannelData.IsValidChannelNumber((ushort)channel, allowRfc5766Range: true));
    }

    [Fact]
    public void TryWrite_BufferTooSmallOrBadChannel_ReturnsFalse()
    {
        Assert.False(ChannelData.TryWrite(new byte[7], 0x4000, new byte[4], padToFour: false, out _));
        Assert.False(ChannelData.TryWrite(new byte[7], 0x4000, new byte[1], padToFour: true, out _)); // needs 8
        Assert.False(ChannelData.TryWrite(new byte[64], 0x3000, new byte[1], padToFour: false, out _));
        Assert.False(ChannelData.TryWriteHeader(new byte[64], 0x4000, 61, padToFour: false, out _));
    }
}
