using Admin.Data.Realms;

namespace Admin.Data.Tests.Realms;

/// <summary>Origins in coturn's canonical form (get_canonic_origin), so a database shared with coturn maps the same ORIGINs.</summary>
public sealed class OriginSyntaxTests
{
    [Theory]
    [InlineData("https://app.example.org", "https://app.example.org:443")]
    [InlineData("HTTPS://App.Example.ORG/", "https://app.example.org:443")]
    [InlineData("http://app.example.org", "http://app.example.org:80")]
    [InlineData("https://app.example.org:8443", "https://app.example.org:8443")]
    [InlineData("https://user@app.example.org/path?q", "https://app.example.org:443")]
    [InlineData("turns://turn.example.org", "turns://turn.example.org:5349")]
    [InlineData("app://local", "app://local")]
    [InlineData("https://[2001:DB8::1]:444", "https://[2001:db8::1]:444")]
    public void Canonicalize_AsCoturn(string origin, string expected) => Assert.Equal(expected, OriginSyntax.Canonicalize(origin));

    [Theory]
    [InlineData("not an origin")]
    [InlineData("https://")]
    [InlineData("://host")]
    [InlineData("https://host:99999")]
    [InlineData("https://host:x")]
    [InlineData("")]
    public void Canonicalize_NotAnOrigin_Null(string origin) => Assert.Null(OriginSyntax.Canonicalize(origin));

    [Theory]
    [InlineData("https://app.example.org", true)]
    [InlineData("https://app.example.org/", true)]
    [InlineData("https://app.example.org/path", false)]
    [InlineData("https://app.example.org?x", false)]
    [InlineData("null", false)]
    public void Check_StoredOrigins(string origin, bool ok) => Assert.Equal(ok, OriginSyntax.Check(origin) is null);
}
