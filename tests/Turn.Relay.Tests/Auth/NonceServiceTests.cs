using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Turn.Protocol;
using Turn.Relay.Auth;

namespace Turn.Relay.Tests.Auth;

public sealed class NonceServiceTests
{
    private static readonly TransportAddress Client = TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.7"), 40000);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly NonceService _nonces;

    public NonceServiceTests() => _nonces = new NonceService(_time, TimeSpan.FromMinutes(10), StunSecurityFeatures.PasswordAlgorithms);

    [Fact]
    public void Check_SameClientAndRealm_IsValid()
    {
        var nonce = _nonces.Create(Client, "realm-a");
        Assert.Equal(NonceCheck.Valid, _nonces.Check(Encoding.UTF8.GetBytes(nonce), Client, "realm-a"u8));
    }

    [Fact]
    public void Check_AnotherRealm_FailsTheMac()
    {
        var nonce = Encoding.UTF8.GetBytes(_nonces.Create(Client, "realm-a"));
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(nonce, Client, "realm-b"u8));
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(nonce, Client, "realm-A"u8));
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(nonce, Client, ""u8));
    }

    [Fact]
    public void Check_AnotherPortOrAddress_FailsTheMac()
    {
        var nonce = Encoding.UTF8.GetBytes(_nonces.Create(Client, "r"));
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(nonce, Client.WithPort(40001), "r"u8));
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(nonce, TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.8"), 40000), "r"u8));
    }

    [Fact]
    public void Check_AfterItsLifetime_IsStaleOnlyForItsRealm()
    {
        var nonce = Encoding.UTF8.GetBytes(_nonces.Create(Client, "r"));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(NonceCheck.Stale, _nonces.Check(nonce, Client, "r"u8));
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(nonce, Client, "other"u8));
    }

    [Fact]
    public void Create_IsShortAndStartsWithTheCookie()
    {
        var nonce = _nonces.Create(Client, new string('r', 127));
        Assert.Equal(37, nonce.Length);
        Assert.Equal(NonceService.Length, nonce.Length);
        Assert.StartsWith(NonceCookie.Create(StunSecurityFeatures.PasswordAlgorithms), nonce, StringComparison.Ordinal);
        Assert.All(nonce, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}'"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("obMatJos2gAAA")]
    [InlineData("obMatJos2gAAAzzzzzzzzAAAAAAAAAAAAAAAA")]
    [InlineData("xxxxxxxxxxxxx00000000AAAAAAAAAAAAAAAA")]
    public void Check_Junk_IsInvalid(string junk) =>
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(Encoding.UTF8.GetBytes(junk), Client, "r"u8));

    [Fact]
    public void Check_AnotherProcessSecret_IsInvalid()
    {
        var other = new NonceService(_time, TimeSpan.FromMinutes(10), StunSecurityFeatures.PasswordAlgorithms);
        Assert.Equal(NonceCheck.Invalid, _nonces.Check(Encoding.UTF8.GetBytes(other.Create(Client, "r")), Client, "r"u8));
    }
}
