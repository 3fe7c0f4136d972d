using Turnstone.TestSupport.Clients.Suites;
using Xunit.Abstractions;

namespace Turn.Relay.Tests.Interop;

/// <summary>Two RTCPeerConnections in headless Chromium, relay candidates only, through Turnstone's engine (the shared <see cref="WebRtcSuite"/>).</summary>
[Trait("Category", "Interop")]
public sealed class WebRtcInteropTests(EngineInteropFixture fixture, ITestOutputHelper output)
    : WebRtcSuite(fixture, output), IClassFixture<EngineInteropFixture>;
