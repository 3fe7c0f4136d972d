namespace Turn.Relay.Transports;

/// <summary>What <see cref="StreamConnectionLimiter.TryAcquire"/> decided for a new connection.</summary>
internal enum StreamConnectionAdmission
{
    Admitted,

    /// <summary>Relay:MaxStreamConnections reached.</summary>
    ServerLimit,

    /// <summary>Relay:MaxStreamConnectionsPerAddress reached for the client's address (IPv6: its /64).</summary>
    AddressLimit,
}
