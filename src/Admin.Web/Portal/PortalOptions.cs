namespace Admin.Web.Portal;

/// <summary>Portal settings (configuration section "Portal").</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>
    /// Host name or address that clients use to reach the relay, written into the turn:/turns: URLs the
    /// ephemeral credential generator prints. Empty (default): Relay:ExternalAddress if set, otherwise the
    /// host the browser used to open the portal.
    /// </summary>
    public string? PublicHost { get; set; }
}
