namespace Admin.Web.Hosting;

/// <summary>What happens to live relay sessions when their credentials go away (configuration section "Turnstone").</summary>
public sealed class RevocationOptions
{
    public const string Section = "Turnstone";

    /// <summary>
    /// Turnstone:TerminateSessionsOnRevoke (default true): deleting or disabling a user, or deleting a TURN REST
    /// secret, ends the allocations authenticated with it at once (their next Refresh gets 437), instead of
    /// letting them run until they expire (up to an hour). Turn off only to keep calls up through an admin change.
    /// </summary>
    public bool TerminateSessionsOnRevoke { get; set; } = true;
}
