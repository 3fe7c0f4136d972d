namespace Admin.Data.Administration;

/// <summary>
/// The outcome of a sign-in attempt. <see cref="Admin"/> and <see cref="SessionStamp"/> are set only on success.
/// </summary>
public sealed record LoginResult(LoginOutcome Outcome, AdminAccount? Admin, string? SessionStamp = null)
{
    public static readonly LoginResult Invalid = new(LoginOutcome.Invalid, null);

    public static readonly LoginResult LockedOut = new(LoginOutcome.LockedOut, null);

    public bool Succeeded => Outcome == LoginOutcome.Succeeded;
}
