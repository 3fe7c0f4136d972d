using Turnstone.TestSupport.Clients.Suites;

namespace Turn.Relay.Tests.Interop;

/// <summary>aioice's TURN client (python3-aioice) against Turnstone's engine (the shared <see cref="AioiceSuite"/>).</summary>
[Trait("Category", "Interop")]
public sealed class AioiceInteropTests(EngineInteropFixture fixture) : AioiceSuite(fixture), IClassFixture<EngineInteropFixture>;
