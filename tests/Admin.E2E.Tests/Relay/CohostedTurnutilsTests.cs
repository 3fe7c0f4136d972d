using Turnstone.TestSupport.Clients.Suites;

namespace Admin.E2E.Tests.Relay;

/// <summary>coturn's turnutils_stunclient and turnutils_uclient against `turnstone serve` with a user the CLI made.</summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class CohostedTurnutilsTests(CohostedRelayFixture fixture) : TurnutilsSuite(fixture);
