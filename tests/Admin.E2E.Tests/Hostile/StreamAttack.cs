namespace Admin.E2E.Tests.Hostile;

/// <summary>What a <see cref="StreamAttacker"/> does once connected.</summary>
internal enum StreamAttack
{
    /// <summary>A STUN Binding every second, never an Allocate.</summary>
    Keepalive,

    /// <summary>Connect to the TLS port and send nothing.</summary>
    Silent,

    /// <summary>Connect to the TLS port and send the first bytes of a ClientHello only.</summary>
    PartialClientHello,
}
