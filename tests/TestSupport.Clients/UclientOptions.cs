namespace Turnstone.TestSupport.Clients;

/// <summary>How turnutils_uclient runs; the defaults are a small, bounded run.</summary>
public sealed record UclientOptions
{
    /// <summary>-n: messages each client sends.</summary>
    public int Messages { get; init; } = 10;

    /// <summary>-m: concurrent clients (each makes its own allocation). Even for <see cref="ClientToClient"/>.</summary>
    public int Clients { get; init; } = 1;

    /// <summary>-l: message length in bytes.</summary>
    public int MessageLength { get; init; } = 100;

    /// <summary>-c: no RTCP twin allocations (uclient otherwise reserves RTP/RTCP pairs with EVEN-PORT).</summary>
    public bool NoRtcp { get; init; } = true;

    /// <summary>-s: Send indications instead of channels.</summary>
    public bool UseSendIndications { get; init; }

    /// <summary>-y: clients relay to each other's relayed addresses instead of to the peer.</summary>
    public bool ClientToClient { get; init; }

    /// <summary>-e: the echo peer's address (turnutils_peer).</summary>
    public string PeerAddress { get; init; } = "127.0.0.1";

    /// <summary>-r: the echo peer's port.</summary>
    public int PeerPort { get; init; } = 3480;

    /// <summary>
    /// -E: CA file for the server certificate over TLS (-S). Beware: coturn 4.6.1's uclient still
    /// connects when verification fails (it retries and goes on), so this is no proof of a valid certificate.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>-v: verbose (prints each request and response).</summary>
    public bool Verbose { get; init; }

    /// <summary>The run is killed after this (uclient runs under `timeout`).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
