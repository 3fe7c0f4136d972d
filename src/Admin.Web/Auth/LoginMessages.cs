namespace Admin.Web.Auth;

/// <summary>Texts the login page shows. One message for every refusal, so nobody learns which names exist or are locked.</summary>
public static class LoginMessages
{
    public const string InvalidCredentials = "Invalid user name or password.";

    /// <summary>Shown when the sign-in throttle refused the attempt (it says nothing about the account).</summary>
    public const string Throttled = "Too many failed sign-ins from your network. Wait a minute and try again.";
}
