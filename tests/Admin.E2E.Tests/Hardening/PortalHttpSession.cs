using System.Net;
using System.Text.RegularExpressions;

namespace Admin.E2E.Tests.Hardening;

/// <summary>
/// A browser-less portal client over plain HTTP: keeps its cookies by hand (so a test can copy and replay one),
/// follows no redirects, reads antiforgery tokens from the pages, and claims a client address through
/// X-Forwarded-For (the fixture trusts 127.0.0.1 as its proxy).
/// </summary>
internal sealed partial class PortalHttpSession(Uri baseAddress, string clientAddress) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public string ClientAddress { get; set; } = clientAddress;

    /// <summary>X-Forwarded-Proto to send (the scheme the pretend proxy was reached with), or null.</summary>
    public string? ForwardedProto { get; set; }

    /// <summary>The Set-Cookie headers of every answer so far, as sent.</summary>
    public List<string> SetCookieHeaders { get; } = [];

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    /// <summary>Posts the login form; the answer's Location says how it went.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string user, string password)
    {
        var token = await TokenFromAsync("login");
        return await PostFormAsync("auth/login", new() { ["username"] = user, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token });
    }

    /// <summary>Posts the sign-out form found on the dashboard (its antiforgery token is the signed-in admin's).</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var token = await TokenFromAsync("");
        return await PostFormAsync("auth/logout", new() { ["__RequestVerificationToken"] = token });
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        return await SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> TokenFromAsync(string path)
    {
        using var page = await GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        var match = TokenInput().Match(html);
        if (!match.Success) throw new InvalidOperationException($"No antiforgery token on /{path} ({(int)page.StatusCode}).");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Add("X-Forwarded-For", ClientAddress);
        if (ForwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", ForwardedProto);
        if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                SetCookieHeaders.Add(header);
                var pair = header.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
                else Cookies[name] = value;
            }
        }
        return response;
    }

    // The value of the hidden input named __RequestVerificationToken, whatever the attribute order.
    [GeneratedRegex("<input(?=[^>]*name=\"__RequestVerificationToken\")[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
