namespace Turn.Relay.Seams;

/// <summary>
/// The server's own allocation limits (Relay:UserQuota, Relay:TotalQuota, Relay:MaxBitsPerSecond; 0 = unlimited). A
/// realm's limits never exceed a non-zero server limit: the relay caps them, and the administration services read this
/// to refuse a realm admin who asks for more.
/// </summary>
public interface IRelayLimits
{
    int UserQuota { get; }

    int TotalQuota { get; }

    long MaxBitsPerSecond { get; }
}
