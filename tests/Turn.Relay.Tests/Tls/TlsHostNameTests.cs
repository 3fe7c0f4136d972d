using Turn.Relay.Tls;

namespace Turn.Relay.Tests.Tls;

public sealed class TlsHostNameTests
{
    [Theory]
    [InlineData("Example.ORG.", "example.org")]
    [InlineData("a.example.org", "a.example.org")]
    [InlineData("", null)]
    [InlineData(".", null)]
    [InlineData(null, null)]
    public void Normalize_LowerCaseWithoutTrailingDot(string? name, string? expected) => Assert.Equal(expected, TlsHostName.Normalize(name));

    [Theory]
    [InlineData("a.example.org", "*.example.org")]
    [InlineData("b.a.example.org", "*.a.example.org")]
    [InlineData("localhost", null)]
    public void WildcardFor_ReplacesTheFirstLabel(string name, string? expected) => Assert.Equal(expected, TlsHostName.WildcardFor(name));
}
