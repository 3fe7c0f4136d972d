namespace Admin.Web.Auth;

/// <summary>The outcome of a sign-in attempt. <see cref="Admin"/> is set only on success.</summary>
public sealed record LoginResult(LoginOutcome Outcome, AdminAccount? Admin)
{
    public static readonly LoginResult Invalid = new(LoginOutcome.Invalid, null);

    public static readonly LoginResult LockedOut = new(LoginOutcome.LockedOut, null);

    public bool Succeeded => Outcome == LoginOutcome.Succeeded;
}
