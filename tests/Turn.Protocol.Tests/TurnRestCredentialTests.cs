using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol.Tests;

public class TurnRestCredentialTests
{
    [Fact]
    public void CreateUsername_ExpiryAndUser_IsUnixSecondsColonUser()
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.Equal("1700000000:alice", TurnRestCredential.CreateUsername(expiry, "alice"));
        Assert.Equal("1700000000", TurnRestCredential.CreateUsername(expiry, ""));
    }

    [Fact]
    public void ComputePassword_IsBase64HmacSha1OfUsername()
    {
        string expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes("north"), Encoding.UTF8.GetBytes("1700000000:alice")));

        Assert.Equal(expected, TurnRestCredential.ComputePassword("north", "1700000000:alice"));
        Assert.Equal(28, expected.Length);
    }

    [Fact]
    public void ComputePassword_KnownValue_MatchesIndependentComputation()
    {
        // Computed independently with: printf '%s' '1234567890:user' | openssl dgst -sha1 -hmac secret -binary | base64
        Assert.Equal("tHbOsg6j8vjx6g3+R1ACZpLMHG0=", TurnRestCredential.ComputePassword("secret", "1234567890:user"));
    }

    [Fact]
    public void ComputeLongTermKey_IsMd5OfUsernameRealmAndDerivedPassword()
    {
        string username = "1700000000:alice";
        string password = TurnRestCredential.ComputePassword("s3cret", username);

        Assert.Equal(LongTermKey.Compute(username, "r", password), TurnRestCredential.ComputeLongTermKey("s3cret", username, "r"));
    }

    [Theory]
    [InlineData("1700000000:alice", 1_700_000_000L, "alice")]
    [InlineData("1700000000", 1_700_000_000L, "")]
    [InlineData("0:a:b", 0L, "a:b")]
    public void TryParseUsername_Valid_SplitsExpiryAndUser(string username, long seconds, string user)
    {
        Assert.True(TurnRestCredential.TryParseUsername(username, out var expiry, out string parsedUser));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), expiry);
        Assert.Equal(user, parsedUser);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData(":alice")]
    [InlineData("-5:alice")]
    [InlineData("+5:alice")]
    [InlineData("12 34:alice")]
    [InlineData("99999999999999999999:alice")]
    [InlineData("999999999999:alice")] // beyond year 9999
    public void TryParseUsername_Invalid_ReturnsFalse(string? username)
    {
        Assert.False(TurnRestCredential.TryParseUsername(username, out _, out _));
    }

    [Fact]
    public void IsValidAt_BeforeAndAfterExpiry()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.True(TurnRestCredential.IsValidAt("1700000001:alice", now));
        Assert.False(TurnRestCredential.IsValidAt("1700000000:alice", now));
        Assert.False(TurnRestCredential.IsValidAt("alice", now));
    }
}
