namespace Turn.Protocol.Tests;

public class StunReasonPhrasesTests
{
    [Theory]
    [InlineData(StunErrorCode.TryAlternate, 300, "Try Alternate")]
    [InlineData(StunErrorCode.BadRequest, 400, "Bad Request")]
    [InlineData(StunErrorCode.Unauthorized, 401, "Unauthorized")]
    [InlineData(StunErrorCode.Forbidden, 403, "Forbidden")]
    [InlineData(StunErrorCode.UnknownAttribute, 420, "Unknown Attribute")]
    [InlineData(StunErrorCode.AllocationMismatch, 437, "Allocation Mismatch")]
    [InlineData(StunErrorCode.StaleNonce, 438, "Stale Nonce")]
    [InlineData(StunErrorCode.AddressFamilyNotSupported, 440, "Address Family not Supported")]
    [InlineData(StunErrorCode.WrongCredentials, 441, "Wrong Credentials")]
    [InlineData(StunErrorCode.UnsupportedTransportProtocol, 442, "Unsupported Transport Protocol")]
    [InlineData(StunErrorCode.PeerAddressFamilyMismatch, 443, "Peer Address Family Mismatch")]
    [InlineData(StunErrorCode.AllocationQuotaReached, 486, "Allocation Quota Reached")]
    [InlineData(StunErrorCode.ServerError, 500, "Server Error")]
    [InlineData(StunErrorCode.InsufficientCapacity, 508, "Insufficient Capacity")]
    public void Get_EachCode_ReturnsTheRfcPhrase(StunErrorCode code, int value, string phrase)
    {
        Assert.Equal(value, (int)code);
        Assert.Equal(phrase, StunReasonPhrases.Get(code));
    }

    [Fact]
    public void Get_UnnamedCode_ReturnsGenericPhrase()
    {
        Assert.Equal("Error", StunReasonPhrases.Get((StunErrorCode)499));
    }
}
