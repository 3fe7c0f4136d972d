using System.Globalization;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The stream-limit options the stream attacks configure, named in one place (the stream limits are built in
/// parallel: rename here if their keys change), with the small values the tests use.
/// </summary>
internal static class StreamLimitSettings
{
    public const string MaxStreamConnections = "Relay:MaxStreamConnections";
    public const string MaxStreamConnectionsPerAddress = "Relay:MaxStreamConnectionsPerAddress";
    public const string StreamAuthTimeoutSeconds = "Relay:StreamAuthTimeoutSeconds";
    public const string TlsHandshakeTimeoutSeconds = "Relay:TlsHandshakeTimeoutSeconds";

    /// <summary>Server-wide cap on TCP/TLS connections in the stream tests.</summary>
    public const int Cap = 50;

    /// <summary>Per-address cap in the stream tests (attackers spread over several addresses to fill <see cref="Cap"/>).</summary>
    public const int PerAddressCap = 10;

    /// <summary>Seconds a stream connection may stay open without authenticating; the same for an unfinished TLS handshake.</summary>
    public const int TimeoutSeconds = 3;

    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [MaxStreamConnections] = Cap.ToString(CultureInfo.InvariantCulture),
        [MaxStreamConnectionsPerAddress] = PerAddressCap.ToString(CultureInfo.InvariantCulture),
        [StreamAuthTimeoutSeconds] = TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        [TlsHandshakeTimeoutSeconds] = TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    };
}
