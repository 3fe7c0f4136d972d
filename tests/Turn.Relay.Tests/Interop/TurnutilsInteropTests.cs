using Turnstone.TestSupport.Clients.Suites;

namespace Turn.Relay.Tests.Interop;

/// <summary>coturn's own test clients (turnutils_stunclient, turnutils_uclient) against Turnstone's engine (the shared <see cref="TurnutilsSuite"/>).</summary>
[Trait("Category", "Interop")]
public sealed class TurnutilsInteropTests(EngineInteropFixture fixture) : TurnutilsSuite(fixture), IClassFixture<EngineInteropFixture>;
