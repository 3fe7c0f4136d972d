namespace Admin.Data.Administration;

public enum LoginOutcome
{
    Succeeded,

    /// <summary>Unknown name or wrong password.</summary>
    Invalid,

    /// <summary>Too many failures in a row: refused until the lockout ends, even with the right password.</summary>
    LockedOut,
}
