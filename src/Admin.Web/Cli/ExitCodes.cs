namespace Admin.Web.Cli;

/// <summary>The turnstone program's exit codes (documented in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation was refused: bad input, a duplicate, something not found.</summary>
    public const int Failed = 1;

    /// <summary>The command line could not be parsed (unknown verb, missing option).</summary>
    public const int Usage = 2;

    /// <summary>PostgreSQL could not be reached or refused the login.</summary>
    public const int DatabaseUnavailable = 3;

    /// <summary>The configuration is invalid (an option failed validation at start).</summary>
    public const int Configuration = 4;
}
