namespace Admin.Data.Credentials;

/// <summary>
/// Revocations (user deleted or disabled, secret deleted) for whoever ends live allocations: the composition
/// root wires this to the relay's control seam (issue 4). Raised on the change listener's thread, after the
/// caches dropped the entry; handlers must be quick and must not throw (exceptions are logged and swallowed
/// so one bad handler cannot stop the listener).
/// </summary>
public interface ICredentialEvents
{
    event Action<CredentialRevocation>? Revoked;
}
