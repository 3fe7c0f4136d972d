using Admin.Data.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// RFC 8489 USERHASH against `turnstone serve`: resolved through PostgreSQL. The real clients' checks against the
/// same app are the shared suites (<see cref="CohostedTurnutilsTests"/>, <see cref="CohostedAioiceTests"/>).
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class UserHashTests(CohostedRelayFixture fixture)
{
    [Fact]
    public async Task UserHash_InsteadOfUserName_IsResolvedThroughPostgres()
    {
        Assert.IsType<PostgresCredentialStore>(fixture.App.Services.GetRequiredService<IUserHashResolver>());
        using var probe = new TurnProbe(fixture.App.UdpEndPoint, CohostedRelayApp.Realm, CohostedRelayFixture.User, CohostedRelayFixture.Password, useUserHash: true);

        Assert.Equal(0, await probe.AllocateAsync());
        Assert.Equal(0, await probe.RefreshAsync(0));
        using var wrong = new TurnProbe(fixture.App.UdpEndPoint, CohostedRelayApp.Realm, CohostedRelayFixture.User, "wrong", useUserHash: true);
        Assert.Equal(401, await wrong.AllocateAsync());
    }
}
