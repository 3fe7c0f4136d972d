namespace Turn.Protocol.Tests;

public class PacketClassifierTests
{
    [Fact]
    public void Classify_StunMessage_IsStun()
    {
        Assert.Equal(PacketKind.Stun, PacketClassifier.Classify(RfcVectors.SampleRequest));
    }

    [Theory]
    [InlineData("40000000")]
    [InlineData("4fff0001aa000000")]
    [InlineData("75870040")] // RFC 5766 channel range, used by coturn's uclient
    public void Classify_ChannelData_IsChannelData(string hex)
    {
        Assert.Equal(PacketKind.ChannelData, PacketClassifier.Classify(TestHex.Parse(hex)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("000100")]
    [InlineData("0001000021120000000000000000000000000000")] // no magic cookie (RFC 3489)
    [InlineData("00010000")]                                 // too short for STUN
    [InlineData("80000000")]
    [InlineData("c1020304")]
    public void Classify_Other_IsUnknown(string hex)
    {
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify(TestHex.Parse(hex)));
    }
}
