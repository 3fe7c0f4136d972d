using Admin.Data;
using Admin.Data.Administration;
using Npgsql;

namespace Admin.Web.Api.Problems;

/// <summary>
/// RFC 9457 problem details for the API. Every problem has "title", "status", "detail" and "code" (the
/// <see cref="AdminErrorCode"/> name, or Unauthorized, TooManyRequests, DatabaseUnavailable, ServerError); validation problems add "errors" keyed by field.
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The status code an administration refusal maps to.</summary>
    public static int StatusOf(AdminErrorCode code) => code switch
    {
        AdminErrorCode.InvalidInput => StatusCodes.Status400BadRequest,
        AdminErrorCode.NotFound => StatusCodes.Status404NotFound,
        AdminErrorCode.Duplicate => StatusCodes.Status409Conflict,
        AdminErrorCode.Conflict => StatusCodes.Status409Conflict,
        AdminErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult From(AdminOperationException e)
    {
        var status = StatusOf(e.Code);
        var extensions = new Dictionary<string, object?> { ["code"] = e.Code.ToString() };
        if (e.Code == AdminErrorCode.InvalidInput)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [e.Field ?? "request"] = [e.Message] }, e.Message, title: "Invalid input", extensions: extensions);
        }
        return TypedResults.Problem(e.Message, statusCode: status, title: TitleOf(status), extensions: extensions);
    }

    /// <summary>A refusal for input the API itself checks (query parameters, request shape); throw it, the filter maps it to 400.</summary>
    public static AdminOperationException Invalid(string field, string message) => new(AdminErrorCode.InvalidInput, message, field);

    /// <summary>PostgreSQL is down or refused the statement: the request can be retried later.</summary>
    public static IResult DatabaseUnavailable(Exception e) => TypedResults.Problem(
        e is DatabaseUnavailableException ? e.Message : "The database is not reachable; try again later.",
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
        extensions: new Dictionary<string, object?> { ["code"] = "DatabaseUnavailable" });

    /// <summary>Writes a problem straight to the response (authentication handler, rate limiter, empty error responses).</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string code)
    {
        context.Response.StatusCode = status;
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code })
            .ExecuteAsync(context);
    }

    public static bool IsDatabaseFailure(Exception e) =>
        e is DatabaseUnavailableException or NpgsqlException || e.InnerException is NpgsqlException;

    public static string TitleOf(int status) => status switch
    {
        400 => "Invalid input",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Request too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };
}
