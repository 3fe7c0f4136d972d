namespace Turn.Relay.Transports;

/// <summary>The time limits a <see cref="StreamListener"/> applies to each connection (from RelayOptions).</summary>
/// <param name="IdleTimeout">Relay:StreamIdleTimeoutSeconds: no complete message without an allocation, or stalled mid-frame.</param>
/// <param name="AuthTimeout">Relay:StreamAuthTimeoutSeconds: no authenticated request and no allocation since accept.</param>
/// <param name="HandshakeTimeout">Relay:TlsHandshakeTimeoutSeconds: TLS handshake not finished.</param>
internal sealed record StreamLimits(TimeSpan IdleTimeout, TimeSpan AuthTimeout, TimeSpan HandshakeTimeout)
{
    public static StreamLimits From(RelayOptions options) => new(
        TimeSpan.FromSeconds(options.StreamIdleTimeoutSeconds),
        TimeSpan.FromSeconds(options.StreamAuthTimeoutSeconds),
        TimeSpan.FromSeconds(options.TlsHandshakeTimeoutSeconds));
}
