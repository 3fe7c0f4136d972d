using Admin.Data.Administration;

namespace Admin.Web.Api.Problems;

/// <summary>
/// Turns what an endpoint throws into problem details: refusals of the administration services by their code,
/// database failures as 503, anything else as a 500 without internals (logged).
/// </summary>
internal sealed partial class ApiExceptionFilter(ILogger<ApiExceptionFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AdminOperationException e)
        {
            return ApiProblems.From(e);
        }
        catch (Admin.Web.Cluster.PeerUnavailableException e)
        {
            // Another node did not answer a command: the node is named, this node is fine.
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Node unavailable",
                extensions: new Dictionary<string, object?> { ["code"] = "NodeUnavailable", ["node"] = e.Node });
        }
        catch (Exception e) when (ApiProblems.IsDatabaseFailure(e))
        {
            LogDatabaseFailure(logger, context.HttpContext.Request.Path, e.Message);
            return ApiProblems.DatabaseUnavailable(e);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads the answer.
            return TypedResults.Empty;
        }
        catch (Exception e) when (e is not BadHttpRequestException)
        {
            LogUnexpected(logger, context.HttpContext.Request.Path, e);
            return TypedResults.Problem("The server failed to handle the request; the error is logged.", statusCode: 500, title: "Server error",
                extensions: new Dictionary<string, object?> { ["code"] = "ServerError" });
        }
    }

    [LoggerMessage(EventId = 3701, Level = LogLevel.Warning, Message = "API request {Path} failed: database unavailable ({Reason})")]
    private static partial void LogDatabaseFailure(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Error, Message = "API request {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, string path, Exception exception);
}
