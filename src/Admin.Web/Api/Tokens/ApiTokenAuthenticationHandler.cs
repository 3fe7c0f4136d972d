using System.Security.Claims;
using System.Text.Encodings.Web;
using Admin.Data.Administration;
using Admin.Web.Api.Problems;
using Admin.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Admin.Web.Api.Tokens;

/// <summary>
/// "Authorization: Bearer tst_..." for /api. Separate from the portal's cookie scheme, which never authenticates an
/// API call (a cookie rides along on cross-site requests: CSRF). Challenges and refusals are problem details,
/// never a redirect to the login page.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenAdministration tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The token's row id, used to partition rate limits.</summary>
    public const string TokenIdClaim = "turnstone:token";

    private const string BearerPrefix = "Bearer ";

    private static readonly object DatabaseFailedKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("Use 'Authorization: Bearer <API token>'.");
        ApiTokenOwner? owner;
        try
        {
            owner = await tokens.ValidateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        }
        catch (Exception e) when (ApiProblems.IsDatabaseFailure(e))
        {
            // Not the caller's fault: the challenge answers 503, not 401, so clients retry instead of dropping the token.
            Context.Items[DatabaseFailedKey] = true;
            return AuthenticateResult.Fail("The database is not reachable; try again later.");
        }
        if (owner is null) return AuthenticateResult.Fail("The API token is unknown, revoked or expired.");
        var account = new AdminAccount(owner.AdminName, owner.Realm, default, null, null);
        var principal = AdminClaims.CreatePrincipal(account, "", Scheme.Name);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(TokenIdClaim, owner.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        TokenScopeClaims.Add(identity, owner.Scope);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (Context.Items.ContainsKey(DatabaseFailedKey))
        {
            await ApiProblems.WriteAsync(Context, StatusCodes.Status503ServiceUnavailable, "Service unavailable", result.Failure!.Message, "DatabaseUnavailable");
            return;
        }
        var failed = result.Failure is not null;
        Response.Headers[HeaderNames.WWWAuthenticate] = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            failed ? result.Failure!.Message : "Send an API token: 'Authorization: Bearer <token>'. Admins create tokens in the portal under API tokens.",
            "Unauthorized");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden",
            TokenScopeClaims.Of(Context.User).Kind == ApiTokenScopeKind.Vend
                ? "This token is vend-only: it may only POST /api/v1/realms/{its realm}/ice-servers."
                : "This token's admin may not do this.", "Forbidden");
}
