using System.Security.Cryptography;
using System.Text;
using Admin.Data.Administration;
using Admin.Data.Exports;
using Admin.Web.Api.Contracts;
using Admin.Web.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Admin.Web.Api.Endpoints;

/// <summary>A realm's TURN users: paged search, add, password, disable/enable, delete, key, CSV import and export.</summary>
internal static class UserEndpoints
{
    public const int DefaultPageSize = 50;

    /// <summary>Characters of a generated password: 20 base64url characters carry 120 random bits.</summary>
    public const int GeneratedPasswordLength = 20;

    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/realms/{realm}").WithTags("Users");
        users.MapGet("/users", List).WithName("ListUsers")
            .WithSummary("One page of the realm's users: ?search=prefix (case-insensitive), ?sort=name|-name, ?skip=0, ?take=50 (at most 1000).");
        users.MapPost("/users", Add).WithName("AddUser").WithSummary("Adds a user with a password, a key, or a generated password (returned once).");
        users.MapGet("/users/{name}", Get).WithName("GetUser");
        users.MapDelete("/users/{name}", Delete).WithName("DeleteUser").WithSummary("Deletes the user; the relay ends their live allocations.");
        users.MapPut("/users/{name}/password", ChangePassword).WithName("ChangeUserPassword");
        users.MapPost("/users/{name}/disable", Disable).WithName("DisableUser").WithSummary("The relay refuses the user and ends their allocations. ?version= for a concurrency check.");
        users.MapPost("/users/{name}/enable", Enable).WithName("EnableUser");
        users.MapGet("/users/{name}/key", GetKey).WithName("GetUserKey").WithSummary("The long-term key as turnadmin -k prints it (viewing it is audited).");
        users.MapPost("/users.csv", Import).WithName("ImportUsers")
            .WithSummary("Imports CSV 'user,password' or 'user,hmackey' all or nothing; a bad line gives 400 listing every bad line in 'lines'. ?existing=refuse (default), skip or update decides what a row naming an existing user does.")
            .Accepts<string>("text/csv");
        users.MapGet("/users.csv", Export).WithName("ExportUsers").WithSummary("Every user as CSV 'user,hmackey' (audited).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
    }

    private static async Task<Ok<Page<UserResponse>>> List(
        string realm, string? search, string? sort, int? skip, int? take, HttpContext http, UserAdministration users, CancellationToken ct)
    {
        var descending = sort switch
        {
            null or "" or "name" or "+name" => false,
            "-name" => true,
            _ => throw ApiProblems.Invalid("sort", "Sort by 'name' or '-name' (descending)."),
        };
        var from = skip ?? 0;
        var size = take ?? DefaultPageSize;
        var page = await users.ListAsync(ApiActor.Of(http), realm, search, from, size, ct, descending);
        return TypedResults.Ok(new Page<UserResponse>(page.Items.Select(u => ToResponse(u)).ToList(), page.TotalCount, from, size));
    }

    private static async Task<Created<UserResponse>> Add(string realm, UserCreateRequest request, HttpContext http, UserAdministration users, CancellationToken ct)
    {
        var given = (request.Password is not null ? 1 : 0) + (request.HmacKey is not null ? 1 : 0) + (request.GeneratePassword ? 1 : 0);
        if (given != 1) throw ApiProblems.Invalid("password", "Give exactly one of 'password', 'hmacKey' or 'generatePassword': true.");
        var actor = ApiActor.Of(http);
        var name = request.Name ?? "";
        string? generated = request.GeneratePassword ? GeneratePassword() : null;
        var user = request.HmacKey is not null
            ? await users.AddWithKeyAsync(actor, realm, name, request.HmacKey, ct)
            : await users.AddAsync(actor, realm, name, generated ?? request.Password!, ct);
        return TypedResults.Created(UserPath(realm, name), ToResponse(user, generated));
    }

    private static async Task<Ok<UserResponse>> Get(string realm, string name, HttpContext http, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await users.GetAsync(ApiActor.Of(http), realm, name, ct)));

    private static async Task<NoContent> Delete(string realm, string name, HttpContext http, UserAdministration users, CancellationToken ct)
    {
        await users.DeleteAsync(ApiActor.Of(http), realm, name, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<UserResponse>> ChangePassword(
        string realm, string name, PasswordRequest request, HttpContext http, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await users.ChangePasswordAsync(ApiActor.Of(http), realm, name, request.Password ?? "", request.Version, ct)));

    private static async Task<Ok<UserResponse>> Disable(string realm, string name, uint? version, HttpContext http, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await users.SetDisabledAsync(ApiActor.Of(http), realm, name, true, version, ct)));

    private static async Task<Ok<UserResponse>> Enable(string realm, string name, uint? version, HttpContext http, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await users.SetDisabledAsync(ApiActor.Of(http), realm, name, false, version, ct)));

    private static async Task<Ok<UserKeyResponse>> GetKey(string realm, string name, HttpContext http, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(new UserKeyResponse(realm, name, await users.GetKeyAsync(ApiActor.Of(http), realm, name, ct)));

    private static async Task<Results<Ok<UserImportResponse>, ValidationProblem>> Import(
        string realm, HttpRequest request, UserAdministration users, CancellationToken ct, string? existing = null)
    {
        var actor = ApiActor.Of(request.HttpContext);
        var mode = existing?.ToLowerInvariant() switch
        {
            null or "" or "refuse" => ExistingUserMode.Refuse,
            "skip" => ExistingUserMode.Skip,
            "update" => ExistingUserMode.Update,
            _ => throw new AdminOperationException(AdminErrorCode.InvalidInput, "existing must be refuse, skip or update.", "existing"),
        };
        // Realm scoping first, so a realm admin learns nothing about another realm from the file's errors.
        if (!actor.IsSuperuser && actor.Realm != realm)
            throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{actor.Name}' may only manage realm '{actor.Realm}'.", "realm");
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        // Parsing reads the whole (size-limited) body; the service then validates every row before writing any.
        var text = await reader.ReadToEndAsync(ct);
        var (rows, errors) = UserCsv.Parse(new StringReader(text));
        if (errors.Count > 0) return ImportRefused(errors);
        var result = await users.ImportAsync(actor, realm, rows, mode, ct);
        return result.Succeeded ? TypedResults.Ok(new UserImportResponse(result.Imported - result.Updated, result.Updated, result.Skipped)) : ImportRefused(result.Errors);
    }

    private static async Task<EmptyHttpResult> Export(string realm, HttpContext http, UserExport exports, CancellationToken ct)
    {
        // Started before the response: refusals (scope, unknown realm) still become problem details.
        await using var export = await exports.StartAsync(ApiActor.Of(http), realm, ct);
        http.Response.ContentType = CsvExport.ContentType;
        // The API's own file name since it was added (the portal's download says users-{realm}.csv): kept for scripts.
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{realm}-users.csv\"";
        await export.WriteToAsync(http.Response.Body, ct);
        return TypedResults.Empty;
    }

    private static ValidationProblem ImportRefused(IReadOnlyList<UserImportError> errors)
    {
        var detail = $"Nothing was imported: {errors.Count} line(s) are not acceptable.";
        var byLine = errors.Select(e => new { line = e.Line, name = e.Name, message = e.Message }).ToList();
        return TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["csv"] = [.. errors.Select(e => e.Line > 0 ? $"Line {e.Line}: {e.Message}" : e.Message)] },
            detail, title: "Invalid input",
            extensions: new Dictionary<string, object?> { ["code"] = nameof(AdminErrorCode.InvalidInput), ["lines"] = byLine });
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedPasswordLength))
            .Replace('+', '-').Replace('/', '_')[..GeneratedPasswordLength];

    private static string UserPath(string realm, string name) => $"/api/v1/realms/{Uri.EscapeDataString(realm)}/users/{Uri.EscapeDataString(name)}";

    private static UserResponse ToResponse(UserInfo u, string? generatedPassword = null) =>
        new(u.Realm, u.Name, u.Disabled, u.CreatedAt, u.UpdatedAt, u.Version, generatedPassword);
}
