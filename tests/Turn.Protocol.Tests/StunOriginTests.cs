using Turn.Protocol;

namespace Turn.Protocol.Tests;

/// <summary>The canonical ORIGIN form coturn's get_canonic_origin produces (and matches turn_origin_to_realm on).</summary>
public sealed class StunOriginTests
{
    [Theory]
    [InlineData("https://example.com", "https://example.com:443")]
    [InlineData("HTTPS://Example.COM", "https://example.com:443")]
    [InlineData("https://example.com:443", "https://example.com:443")]
    [InlineData("https://example.com:8443/", "https://example.com:8443")]
    [InlineData("http://example.com/path?q=1#f", "http://example.com:80")]
    [InlineData("https://user:pw@example.com", "https://example.com:443")]
    [InlineData("turns://turn.example.com", "turns://turn.example.com:5349")]
    [InlineData("https://[2001:DB8::1]", "https://[2001:db8::1]:443")]
    [InlineData("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443")]
    [InlineData("web+app://example.com", "web+app://example.com")]
    [InlineData("https://example.com:", "https://example.com:443")]
    public void Canonicalize_WebOrigins(string origin, string expected) => Assert.Equal(expected, StunOrigin.Canonicalize(origin));

    [Theory]
    [InlineData("null")]
    [InlineData("example.com")]
    [InlineData("mailto:a@example.com")]
    [InlineData("https://")]
    [InlineData("https://example.com:port")]
    [InlineData("1https://example.com")]
    public void Canonicalize_NotAnOriginWithAHost_IsKeptAsItIs(string origin) => Assert.Equal(origin, StunOrigin.Canonicalize(origin));

    [Fact]
    public void Canonicalize_CutsAtCoturnsMaximum()
    {
        var origin = "https://" + new string('a', 200) + ".example";
        Assert.Equal(StunOrigin.MaxLength, StunOrigin.Canonicalize(origin).Length);
    }
}
