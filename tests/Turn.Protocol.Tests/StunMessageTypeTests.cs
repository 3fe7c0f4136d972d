namespace Turn.Protocol.Tests;

public class StunMessageTypeTests
{
    [Theory]
    [InlineData(StunMethod.Binding, StunClass.Request, 0x0001)]
    [InlineData(StunMethod.Binding, StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunMethod.Binding, StunClass.ErrorResponse, 0x0111)]
    [InlineData(StunMethod.Allocate, StunClass.Request, 0x0003)]
    [InlineData(StunMethod.Allocate, StunClass.ErrorResponse, 0x0113)]
    [InlineData(StunMethod.Refresh, StunClass.SuccessResponse, 0x0104)]
    [InlineData(StunMethod.Send, StunClass.Indication, 0x0016)]
    [InlineData(StunMethod.Data, StunClass.Indication, 0x0017)]
    [InlineData(StunMethod.CreatePermission, StunClass.Request, 0x0008)]
    [InlineData(StunMethod.ChannelBind, StunClass.SuccessResponse, 0x0109)]
    public void Encode_KnownTypes_MatchTheRfcValues(StunMethod method, StunClass messageClass, int expected)
    {
        Assert.Equal(expected, StunMessageType.Encode(method, messageClass));
        Assert.Equal(method, StunMessageType.GetMethod((ushort)expected));
        Assert.Equal(messageClass, StunMessageType.GetClass((ushort)expected));
    }

    [Fact]
    public void Encode_AllMethodsAndClasses_RoundTrip()
    {
        for (int method = 0; method <= StunMessageType.MaxMethod; method++)
            for (int messageClass = 0; messageClass < 4; messageClass++)
            {
                ushort type = StunMessageType.Encode((StunMethod)method, (StunClass)messageClass);
                Assert.True(type <= 0x3FFF);
                Assert.Equal((StunMethod)method, StunMessageType.GetMethod(type));
                Assert.Equal((StunClass)messageClass, StunMessageType.GetClass(type));
            }
    }
}
