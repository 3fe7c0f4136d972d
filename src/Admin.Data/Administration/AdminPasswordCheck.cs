namespace Admin.Data.Administration;

/// <summary>The outcome of checking a password against a stored admin hash.</summary>
public enum AdminPasswordCheck
{
    Failed,

    Succeeded,

    /// <summary>Right password, stored in an older format (coturn's SHA-256-crypt): replace the hash.</summary>
    SucceededRehashNeeded,
}
