using System.Net;
using System.Net.Http.Headers;
using Admin.Data.Administration;
using Admin.Web.Api.Tokens;
using Admin.E2E.Tests.Hosting;

namespace Admin.E2E.Tests.Api;

/// <summary>Its own host whose database is dropped under it: the API answers 503 problems, not 401 or an HTML error page.</summary>
public sealed class DatabaseDownTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await ApiFixture.NewHost("api-down").StartAsync();

    [Fact]
    public async Task DatabaseGone_ApiAnswers503Problems()
    {
        var token = (await _app.Get<ApiTokenAdministration>().CreateAsync(AdminActor.System, "admin", "down", null, CancellationToken.None)).Token;
        using var client = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/realms")).StatusCode);

        await _app.Database.DisposeAsync(); // DROP DATABASE ... WITH (FORCE): every connection ends, none can be opened

        await Problem.AssertAsync(await client.GetAsync("api/v1/realms"), HttpStatusCode.ServiceUnavailable, "DatabaseUnavailable");
        await Problem.AssertAsync(await client.PostAsync("api/v1/realms/example.org/ice-servers", null), HttpStatusCode.ServiceUnavailable, "DatabaseUnavailable");
        // What needs no database still answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/ping")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
