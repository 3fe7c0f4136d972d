using System.Net;
using System.Net.Http.Headers;
using Admin.Data.Administration;
using Admin.Web.Api.Tokens;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Turnstone.TestSupport;

namespace Admin.E2E.Tests.Api;

/// <summary>Its own host whose database is dropped under it: the API answers 503 problems, not 401 or an HTML error page.</summary>
public sealed class DatabaseDownTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private PortalFactory _factory = null!;
    private string _dataDirectory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("turnstone-api-down-").FullName;
        _factory = PortalFactory.Start(ApiFixture.HostSettings(_database, _dataDirectory, minRelayPort: 46000, maxRelayPort: 46099));
    }

    [Fact]
    public async Task DatabaseGone_ApiAnswers503Problems()
    {
        var token = (await _factory.Services.GetRequiredService<ApiTokenAdministration>().CreateAsync(AdminActor.System, "admin", "down", null, CancellationToken.None)).Token;
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/realms")).StatusCode);

        await _database.DisposeAsync(); // DROP DATABASE ... WITH (FORCE): every connection ends, none can be opened

        await Problem.AssertAsync(await client.GetAsync("api/v1/realms"), HttpStatusCode.ServiceUnavailable, "DatabaseUnavailable");
        await Problem.AssertAsync(await client.PostAsync("api/v1/realms/example.org/ice-servers", null), HttpStatusCode.ServiceUnavailable, "DatabaseUnavailable");
        // What needs no database still answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/ping")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.StopAndDisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_dataDirectory is not null) Directory.Delete(_dataDirectory, recursive: true);
    }
}
