using Turnstone.TestSupport.Clients.Suites;

namespace Admin.E2E.Tests.Relay;

/// <summary>aioice's TURN client against `turnstone serve` with a user the CLI made, over UDP, TCP, TLS and ::1.</summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class CohostedAioiceTests(CohostedRelayFixture fixture) : AioiceSuite(fixture);
