using Admin.Web.Portal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Admin.Web.Tests.Portal;

public sealed class SecurityHeadersMiddlewareTests : IAsyncLifetime
{
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await new HostBuilder()
            .ConfigureWebHost(web => web.UseTestServer().Configure(app =>
            {
                app.UseMiddleware<SecurityHeadersMiddleware>();
                // The page echoes the nonce it would put on its import map.
                app.Run(context => context.Response.WriteAsync(SecurityHeadersMiddleware.GetNonce(context) ?? "none"));
            }))
            .StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Response_CarriesPolicyNoSniffAndReferrerPolicy()
    {
        using var client = _host.GetTestClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task ScriptSource_AllowsOnlySelfAndThisRequestsNonce()
    {
        using var client = _host.GetTestClient();

        using var first = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/", UriKind.Relative));

        var nonce = await first.Content.ReadAsStringAsync();
        var policy = string.Join(";", first.Headers.GetValues("Content-Security-Policy"));
        var scriptSource = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal));
        Assert.Equal($"script-src 'self' 'nonce-{nonce}'", scriptSource);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.NotEqual(nonce, await second.Content.ReadAsStringAsync());
        Assert.True(Convert.FromBase64String(nonce).Length >= 16);
    }

    [Fact]
    public void GetNonce_OutsideTheMiddleware_IsNull()
    {
        Assert.Null(SecurityHeadersMiddleware.GetNonce(new DefaultHttpContext()));
        Assert.Null(SecurityHeadersMiddleware.GetNonce(null));
    }
}
