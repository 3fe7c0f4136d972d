namespace Turn.Relay.Seams;

/// <summary>
/// The name of the engine's System.Diagnostics.Metrics meter, for hosts that export it (OpenTelemetry's AddMeter).
/// Hosts read figures through <see cref="IRelayStatus"/>, not by listening to instruments by name.
/// </summary>
public static class RelayMeter
{
    public const string Name = "Turnstone.Relay";
}
