namespace Admin.Web.Auth;

/// <summary>Texts the login page shows. One message for every refusal, so nobody learns which names exist or are locked.</summary>
public static class LoginMessages
{
    public const string InvalidCredentials = "Invalid user name or password.";
}
