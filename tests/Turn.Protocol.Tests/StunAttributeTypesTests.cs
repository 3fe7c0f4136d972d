namespace Turn.Protocol.Tests;

public class StunAttributeTypesTests
{
    [Theory]
    [InlineData(0x0000, true)]
    [InlineData(0x7FFF, true)]
    [InlineData(0x8000, false)]
    [InlineData(0xFFFF, false)]
    public void IsComprehensionRequired_RangeBoundaries(int type, bool expected)
    {
        Assert.Equal(expected, StunAttributeTypes.IsComprehensionRequired((ushort)type));
    }

    [Fact]
    public void IsKnown_EveryNamedType_IsKnown()
    {
        foreach (StunAttributeType type in Enum.GetValues<StunAttributeType>())
            Assert.True(StunAttributeTypes.IsKnown((ushort)type), type.ToString());
    }

    [Theory]
    [InlineData(0x0003)] // CHANGE-REQUEST (RFC 5780)
    [InlineData(0x0024)] // PRIORITY (ICE)
    [InlineData(0x802B)] // RESPONSE-ORIGIN (RFC 5780)
    public void IsKnown_OtherTypes_AreUnknown(int type)
    {
        Assert.False(StunAttributeTypes.IsKnown((ushort)type));
    }
}
