using System.Text.Encodings.Web;
using System.Text.Json;
using Turn.Protocol;

namespace Admin.Web.Portal;

/// <summary>
/// A TURN REST API credential (username "expiry:label", password base64(HMAC-SHA1(secret, username))) and the
/// iceServers JSON a WebRTC application pastes into RTCPeerConnection's configuration.
/// </summary>
public sealed record EphemeralCredential(string Username, string Password, DateTimeOffset ExpiresAt, string IceServersJson)
{
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    // Relaxed escaping: base64 passwords keep their '+' and '/' as typed, not \u002B (the JSON is pasted into code, not HTML).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A credential for the default realm's plain "expiry:label" username.</summary>
    public static EphemeralCredential Create(string secret, string label, TimeSpan lifetime, DateTimeOffset now, IReadOnlyList<string> urls)
    {
        var expiresAt = now + lifetime;
        return Sign(secret, TurnRestCredential.CreateUsername(expiresAt, label), expiresAt, urls);
    }

    /// <summary>A credential for a username already made (e.g. "expiry:label@realm").</summary>
    public static EphemeralCredential Sign(string secret, string username, DateTimeOffset expiresAt, IReadOnlyList<string> urls)
    {
        var password = TurnRestCredential.ComputePassword(secret, username);
        var json = JsonSerializer.Serialize(new[] { new { urls, username, credential = password } }, Indented);
        return new EphemeralCredential(username, password, DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()), json);
    }

    /// <summary>Null when the lifetime is acceptable, else why not.</summary>
    public static string? CheckLifetime(TimeSpan lifetime) =>
        lifetime < MinLifetime || lifetime > MaxLifetime ? "The lifetime must be between 1 minute and 7 days." : null;
}
