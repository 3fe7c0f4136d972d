using Turn.Protocol;
using Turn.Relay.Methods;

namespace Turn.Relay.Tests.Methods;

public class GrantedLifetimeTests
{
    [Theory]
    [InlineData(30u, 600)]       // below the default: the default
    [InlineData(600u, 600)]
    [InlineData(1200u, 1200)]
    [InlineData(3600u, 3600)]
    [InlineData(86400u, 3600)]   // above the maximum: the maximum
    public void For_RequestedLifetime_ClampedBetweenDefaultAndMaximum(uint requested, int grantedSeconds)
    {
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Refresh, StunClass.Request, TransactionId.NewRandom());
        writer.WriteLifetime(requested);
        StunMessageReader.TryParse(writer.WrittenSpan, out var request);

        Assert.Equal(TimeSpan.FromSeconds(grantedSeconds), GrantedLifetime.For(request));
    }

    [Fact]
    public void For_NoLifetime_TheDefault()
    {
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Refresh, StunClass.Request, TransactionId.NewRandom());
        StunMessageReader.TryParse(writer.WrittenSpan, out var request);

        Assert.Equal(RelayLifetimes.DefaultAllocation, GrantedLifetime.For(request));
    }
}
