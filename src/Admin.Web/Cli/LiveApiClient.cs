using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Admin.Web.Cli;

/// <summary>
/// The live verbs' way to a running node: its JSON API at <c>--server URL</c>, authenticated by an admin's API token
/// (<c>turnstone token add</c>) read from <c>--token-file</c> or the TURNSTONE_API_TOKEN environment variable, never
/// from an argument (it would show in ps). Live allocations exist only in the relay process, so the database alone
/// cannot list or end them.
/// </summary>
internal sealed class LiveApiClient : IDisposable
{
    public const string TokenVariable = "TURNSTONE_API_TOKEN";

    private readonly HttpClient _http;

    private LiveApiClient(HttpClient http) => _http = http;

    public static Option<string> ServerOption() => new("--server")
    {
        Description = "The node's portal/API base URL, e.g. http://127.0.0.1:8080 (Urls of 'turnstone serve').",
        Required = true,
    };

    public static Option<string> TokenFileOption() => new("--token-file")
    {
        Description = $"A file holding an API token (turnstone token add); without it the {TokenVariable} environment variable.",
    };

    public static LiveApiClient Create(ParseResult parse, Option<string> server, Option<string> tokenFile)
    {
        var url = parse.GetRequiredValue(server);
        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
            throw new CliException($"--server: '{url}' is not an http:// or https:// URL", ExitCodes.Usage);
        var token = ReadToken(parse.GetValue(tokenFile));
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new LiveApiClient(http);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, cancellationToken);

    public Task<JsonElement> PostAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {_http.BaseAddress}: {e.Message}", ExitCodes.Failed);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
            throw new CliException($"{(int)response.StatusCode} from {_http.BaseAddress}{path.TrimStart('/')}: {Describe(body, response.StatusCode)}", response.StatusCode switch
            {
                HttpStatusCode.NotFound => ExitCodes.NotFound,
                HttpStatusCode.BadRequest => ExitCodes.Usage,
                HttpStatusCode.ServiceUnavailable => ExitCodes.DatabaseUnavailable,
                _ => ExitCodes.Failed,
            });
        }
    }

    // Problem details (RFC 9457) when the API sent them; the status otherwise.
    private static string Describe(string body, HttpStatusCode status)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
                var text = detail ?? title;
                if (!string.IsNullOrEmpty(text)) return text;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the status.
        }
        return status == HttpStatusCode.Unauthorized ? "the API token was refused (unknown, revoked or expired)" : status.ToString();
    }

    private static string ReadToken(string? tokenFile)
    {
        string? token;
        if (!string.IsNullOrEmpty(tokenFile))
        {
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--token-file: cannot read {tokenFile}: {e.Message}", ExitCodes.Usage);
            }
        }
        else token = Environment.GetEnvironmentVariable(TokenVariable)?.Trim();
        if (string.IsNullOrEmpty(token))
            throw new CliException($"no API token: give --token-file FILE or set {TokenVariable} (create one with 'turnstone token add')", ExitCodes.Usage);
        return token;
    }
}
