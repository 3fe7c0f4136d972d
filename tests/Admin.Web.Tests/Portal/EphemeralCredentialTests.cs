using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Admin.Web.Portal;

namespace Admin.Web.Tests.Portal;

public sealed class EphemeralCredentialTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_UsernameIsExpiryColonLabel_PasswordIsHmacSha1OfIt()
    {
        var credential = EphemeralCredential.Create("s3cret", "alice", TimeSpan.FromHours(1), Now, ["turn:turn.example.org:3478?transport=udp"]);

        Assert.Equal($"{Now.AddHours(1).ToUnixTimeSeconds()}:alice", credential.Username);
        // Computed here independently of Turn.Protocol: base64(HMAC-SHA1(secret, username)).
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes(credential.Username)));
        Assert.Equal(expected, credential.Password);
        Assert.Equal(Now.AddHours(1), credential.ExpiresAt);
    }

    [Fact]
    public void Create_IceServersJson_IsWhatRTCPeerConnectionTakes()
    {
        string[] urls = ["turn:h:3478?transport=udp", "turn:h:3478?transport=tcp", "turns:h:5349?transport=tcp"];

        // Some secret gives a password with both '+' and '/'.
        var credential = Enumerable.Range(0, 100).Select(i => EphemeralCredential.Create($"k{i}", "", TimeSpan.FromMinutes(5), Now, urls))
            .First(c => c.Password.Contains('+', StringComparison.Ordinal) && c.Password.Contains('/', StringComparison.Ordinal));

        using var json = JsonDocument.Parse(credential.IceServersJson);
        var server = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal(urls, server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(credential.Username, server.GetProperty("username").GetString());
        Assert.Equal(credential.Password, server.GetProperty("credential").GetString());
        // Readable as pasted: the base64 password appears literally ('+' and '/' unescaped).
        Assert.Contains($"\"{credential.Password}\"", credential.IceServersJson, StringComparison.Ordinal);
        // No label: the username is only the expiry, as coturn accepts it.
        Assert.DoesNotContain(':', credential.Username);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(7 * 24 * 3600, true)]
    [InlineData(7 * 24 * 3600 + 1, false)]
    public void CheckLifetime_BoundsOneMinuteToSevenDays(int seconds, bool acceptable) =>
        Assert.Equal(acceptable, EphemeralCredential.CheckLifetime(TimeSpan.FromSeconds(seconds)) is null);

    [Fact]
    public void PasswordGenerator_MakesDistinctPasswordsFromTheAlphabet()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => PasswordGenerator.Generate()).ToList();

        Assert.All(passwords, p => Assert.Equal(PasswordGenerator.Length, p.Length));
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.All(passwords, p => Assert.DoesNotContain(p, c => "0O1lI".Contains(c, StringComparison.Ordinal)));
    }
}
