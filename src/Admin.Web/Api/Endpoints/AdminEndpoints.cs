using Admin.Data.Administration;
using Admin.Web.Api.Contracts;
using Admin.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>Portal admins: superusers only. A realm admin's token gets 403 before anything is looked up.</summary>
internal static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var admins = api.MapGroup("/admins").WithTags("Admins").AddEndpointFilter(async (context, next) =>
        {
            var actor = ApiActor.Of(context.HttpContext);
            if (!actor.IsSuperuser) throw new AdminOperationException(AdminErrorCode.Forbidden, "Only a superuser admin may manage admin accounts.");
            return await next(context);
        });
        admins.MapGet("/", List).WithName("ListAdmins");
        admins.MapPost("/", Add).WithName("AddAdmin").WithSummary("Adds an admin; no realm = superuser.");
        admins.MapDelete("/{name}", Delete).WithName("DeleteAdmin").WithSummary("Deletes an admin (never the last superuser) and their API tokens.");
        admins.MapPut("/{name}/password", SetPassword).WithName("ResetAdminPassword")
            .WithSummary("Sets a new password and ends any lockout; your own needs currentPassword (429 after too many wrong ones).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Ok<IReadOnlyList<AdminAccount>>> List(AdminAccountAdministration accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ListAsync(ct));

    private static async Task<Created<AdminAccount>> Add(AdminCreateRequest request, HttpContext http, AdminAccountAdministration accounts, CancellationToken ct)
    {
        var name = request.Name ?? "";
        await accounts.AddAsync(name, request.Password ?? "", request.Realm, ApiActor.Of(http), ct);
        var created = (await accounts.ListAsync(ct)).Single(a => a.Name == name);
        return TypedResults.Created($"/api/v1/admins/{Uri.EscapeDataString(name)}", created);
    }

    private static async Task<NoContent> Delete(string name, HttpContext http, AdminAccountAdministration accounts, AdminSessionValidator sessions, CancellationToken ct)
    {
        await accounts.DeleteAsync(name, ApiActor.Of(http), ct);
        sessions.Forget(name);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> SetPassword(
        string name, AdminPasswordRequest request, HttpContext http, AdminAccountAdministration accounts, AdminSessionValidator sessions,
        SignInThrottle throttle, CancellationToken ct)
    {
        var actor = ApiActor.Of(http);
        // Guessing the current password through one's own change is throttled like sign-in guessing.
        var own = string.Equals(actor.Name, name, StringComparison.Ordinal);
        var address = http.Connection.RemoteIpAddress;
        if (own && !throttle.MayAttempt(address))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: "Too many wrong current passwords from this network; try again later.", extensions: new Dictionary<string, object?> { ["code"] = "TooManyRequests" });
        }
        try
        {
            await accounts.SetPasswordAsync(name, request.Password ?? "", request.CurrentPassword, actor, ct);
        }
        catch (AdminOperationException e) when (own && e.Field == "currentPassword")
        {
            throttle.RecordFailure(address);
            throw;
        }
        sessions.Forget(name);
        return TypedResults.NoContent();
    }
}
