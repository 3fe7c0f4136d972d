using Turn.Protocol;
using Turn.Relay.Methods;

namespace Turn.Relay.Tests.Methods;

public class AllocateAttributesTests
{
    private delegate void Attributes(ref StunMessageWriter writer);

    [Fact]
    public void Read_UdpWithEvenPortAndIPv6_ReadsEveryAttribute()
    {
        var refusal = Read((ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            w.WriteEvenPort(reserveNextPort: true);
            w.WriteRequestedAddressFamily(StunAddressFamily.IPv6);
            w.WriteAttribute(StunAttributeType.DontFragment, []);
        }, out var attributes);

        Assert.Null(refusal);
        Assert.Equal(new AllocateAttributes(DontFragment: true, ReservationToken: null, EvenPort: true, ReserveNext: true,
            StunAddressFamily.IPv6, AdditionalIPv6: false), attributes);
    }

    [Fact]
    public void Read_ReservationToken_KeepsTheToken()
    {
        var refusal = Read((ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            w.WriteReservationToken(0x0102030405060708);
        }, out var attributes);

        Assert.Null(refusal);
        Assert.Equal(0x0102030405060708UL, attributes.ReservationToken);
        Assert.Equal(StunAddressFamily.IPv4, attributes.Family);
    }

    [Fact]
    public void Read_NoRequestedTransport_BadRequest()
    {
        var refusal = Read((ref StunMessageWriter w) => w.WriteLifetime(600), out _);

        Assert.Equal(StunErrorCode.BadRequest, refusal?.Code);
    }

    [Fact]
    public void Read_Tcp_UnsupportedTransportProtocol()
    {
        var refusal = Read((ref StunMessageWriter w) => w.WriteRequestedTransport(6), out _);

        Assert.Equal(new Refusal(StunErrorCode.UnsupportedTransportProtocol, "Unsupported Transport Protocol"), refusal);
    }

    [Fact]
    public void Read_ReservationTokenWithEvenPort_BadRequest()
    {
        var refusal = Read((ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            w.WriteReservationToken(1);
            w.WriteEvenPort(reserveNextPort: false);
        }, out _);

        Assert.Equal(StunErrorCode.BadRequest, refusal?.Code);
    }

    [Fact]
    public void Read_AdditionalFamilyIPv4_BadRequest()
    {
        var refusal = Read((ref StunMessageWriter w) =>
        {
            w.WriteRequestedTransport(17);
            w.WriteAdditionalAddressFamily(StunAddressFamily.IPv4);
        }, out _);

        Assert.Equal(new Refusal(StunErrorCode.BadRequest, "ADDITIONAL-ADDRESS-FAMILY must be IPv6"), refusal);
    }

    private static Refusal? Read(Attributes write, out AllocateAttributes attributes)
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, TransactionId.NewRandom());
        write(ref writer);
        Assert.False(writer.HasFailed);
        Assert.Equal(StunParseError.None, StunMessageReader.TryParse(writer.WrittenSpan, out var request));
        return AllocateAttributes.Read(request, out attributes);
    }
}
