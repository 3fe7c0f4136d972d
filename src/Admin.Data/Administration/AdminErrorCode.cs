namespace Admin.Data.Administration;

/// <summary>Why an administration operation was refused. Suggested mappings are for the CLI and API.</summary>
public enum AdminErrorCode
{
    /// <summary>Bad input (invalid name, empty password, malformed range). CLI exit 2, HTTP 400.</summary>
    InvalidInput,

    /// <summary>The realm, user, secret or rule does not exist. CLI exit 3, HTTP 404.</summary>
    NotFound,

    /// <summary>It exists already. CLI exit 4, HTTP 409.</summary>
    Duplicate,

    /// <summary>Someone else changed the row since it was read (optimistic concurrency). HTTP 409.</summary>
    Conflict,

    /// <summary>The actor is a realm admin and the target is outside that realm. HTTP 403.</summary>
    Forbidden,
}
