using Turnstone.TestSupport.Clients.Suites;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Relay;

/// <summary>Chromium's WebRTC stack through `turnstone serve` with a CLI-made user (the shared <see cref="WebRtcSuite"/>).</summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class CohostedWebRtcTests(CohostedRelayFixture fixture, ITestOutputHelper output) : WebRtcSuite(fixture, output);
