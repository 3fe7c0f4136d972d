using System.ComponentModel.DataAnnotations;

namespace Admin.Web.Api;

/// <summary>The JSON API's settings (configuration section "Api"), validated at start.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Shortest lifetime of vended credentials: below a minute a client could not even finish ICE.</summary>
    public const int MinTtlSeconds = 60;

    /// <summary>
    /// Host name or address put in the vended turn:/turns: URLs. Empty: Relay:ExternalAddress, else the host the
    /// API request was addressed to. Set it to the relay's public DNS name (the one on its TLS certificate).
    /// </summary>
    public string? IceServerHost { get; set; }

    /// <summary>Port of the turn: URLs (UDP and TCP). Empty: Relay:Port (the bound port when that is 0).</summary>
    [Range(1, 65535)]
    public int? IceServerPort { get; set; }

    /// <summary>Port of the turns: URL. Empty: Relay:TlsPort; 0 leaves turns: out.</summary>
    [Range(0, 65535)]
    public int? IceServerTlsPort { get; set; }

    /// <summary>Lifetime of vended credentials when the request names none (coturn's examples use a day).</summary>
    [Range(MinTtlSeconds, int.MaxValue)]
    public int DefaultTtlSeconds { get; set; } = 86_400;

    /// <summary>Longest lifetime a request may ask for: ephemeral credentials cannot be revoked one by one, only by deleting the secret.</summary>
    [Range(MinTtlSeconds, int.MaxValue)]
    public int MaxTtlSeconds { get; set; } = 172_800;

    /// <summary>Credential-vending requests per token per <see cref="IceServersWindow"/>; beyond it 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int IceServersPermitLimit { get; set; } = 60;

    /// <summary>The rate limit's window (fixed window per token).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IceServersWindow { get; set; } = TimeSpan.FromMinutes(1);
}
