using System.Text;

namespace Turn.Protocol.Tests;

public class NonceCookieTests
{
    [Theory]
    [InlineData(StunSecurityFeatures.None, "obMatJos2AAAA")]
    [InlineData(StunSecurityFeatures.PasswordAlgorithms, "obMatJos2gAAA")]
    [InlineData(StunSecurityFeatures.PasswordAlgorithms | StunSecurityFeatures.UsernameAnonymity, "obMatJos2wAAA")]
    public void Create_Features_EncodesBitsFromTheTop(StunSecurityFeatures features, string expected)
    {
        Assert.Equal(expected, NonceCookie.Create(features));
        Assert.True(NonceCookie.TryParse(Encoding.ASCII.GetBytes(expected + "server-part"), out var parsed));
        Assert.Equal(features, parsed);
    }

    [Fact]
    public void TryParse_Rfc8489VectorNonce_ReadsItsFeatureBits()
    {
        // The B.1 nonce carries "AAAC" = 0x000002: neither bit 0 nor bit 1 as the registry numbers
        // them, although the vector uses both PASSWORD-ALGORITHM and USERHASH (another known quirk
        // of that vector). We only check the cookie is recognised and decoded as written.
        Assert.True(NonceCookie.TryParse(Encoding.ASCII.GetBytes(RfcVectors.Rfc8489Nonce), out var features));
        Assert.Equal((StunSecurityFeatures)0x000002, features);
    }

    [Theory]
    [InlineData("")]
    [InlineData("obMatJos2AA")]
    [InlineData("f//499k954d6OL34oL9FSTvy64sA")]
    [InlineData("obMatJos2!!!!")]
    public void TryParse_NoCookie_ReturnsFalse(string nonce)
    {
        Assert.False(NonceCookie.TryParse(Encoding.ASCII.GetBytes(nonce), out _));
    }

    [Fact]
    public void TryWrite_SmallBuffer_ReturnsFalse()
    {
        Assert.False(NonceCookie.TryWrite(StunSecurityFeatures.None, new byte[12]));
    }
}
