using System.Collections.Concurrent;
using Admin.Data.Cluster;
using Microsoft.Extensions.Options;

namespace Admin.Web.Cluster;

/// <summary>
/// The internal endpoint's only gate: reads the body (at most <see cref="MaxBodyBytes"/>), checks the request's
/// <see cref="ClusterSignature"/> for this node, and answers anything else 401 with no body and no reason. A command
/// (not a GET) is accepted once: its signature is remembered for the validity window, so a captured drain cannot be
/// replayed after a resume. Only signed requests reach that memory, so its size is bounded by what key holders send.
/// </summary>
internal sealed class InternalRequestAuthentication(IOptions<ClusterOptions> options, string self, TimeProvider time)
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The verified body, for the handlers.</summary>
    public const string BodyItem = "turnstone.internal.body";

    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var body = await ReadBodyAsync(http.Request);
        var request = http.Request;
        var pathAndQuery = request.PathBase.Add(request.Path).Value + request.QueryString.Value;
        var now = time.GetUtcNow();
        if (body is null
            || !ClusterSignature.Verify(options.Value.Key!, request.Method, pathAndQuery, self,
                request.Headers[ClusterSignature.TimestampHeader], request.Headers[ClusterSignature.NonceHeader], request.Headers[ClusterSignature.SignatureHeader], body, now)
            || (!HttpMethods.IsGet(request.Method) && !FirstUse(request.Headers[ClusterSignature.SignatureHeader]!, now)))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        http.Items[BodyItem] = body;
        await next(http);
    }

    private bool FirstUse(string signature, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        if (_seen.Count > MaxRemembered / 2)
        {
            foreach (var entry in _seen)
                if (entry.Value < nowSeconds) _seen.TryRemove(entry.Key, out _);
        }
        if (_seen.Count >= MaxRemembered) return false;
        return _seen.TryAdd(signature.ToLowerInvariant(), nowSeconds + 2 * (long)ClusterSignature.Window.TotalSeconds);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
