namespace Admin.Web.Cli;

/// <summary>The turnstone program's exit codes (documented in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed for another reason (e.g. not allowed).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: the command line could not be parsed, or a value is invalid.</summary>
    public const int Usage = 2;

    /// <summary>The realm, user, secret or admin does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>It exists already; nothing was changed.</summary>
    public const int Duplicate = 4;

    /// <summary>Someone else changed it at the same time; nothing was changed.</summary>
    public const int Conflict = 5;

    /// <summary>PostgreSQL could not be reached, refused the login, or its schema is not migrated.</summary>
    public const int DatabaseUnavailable = 6;

    /// <summary>The configuration is missing or invalid (e.g. no ConnectionStrings:Admin).</summary>
    public const int Configuration = 7;
}
