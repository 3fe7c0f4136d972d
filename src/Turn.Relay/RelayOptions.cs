namespace Turn.Relay;

/// <summary>
/// The relay's configuration, bound to section "Relay" and validated at start
/// (<see cref="RelayOptionsValidator"/>). Every limit says why it exists.
/// </summary>
public sealed class RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>Addresses to listen on. Empty (default) = 0.0.0.0 and, where the host has IPv6, ::.</summary>
    public List<string> ListenAddresses { get; set; } = [];

    /// <summary>STUN/TURN over UDP and TCP (RFC 8656 section 4: 3478). 0 asks the OS for a free port.</summary>
    public int Port { get; set; } = 3478;

    /// <summary>TURN over TLS (RFC 8656 section 4: 5349). 0 turns TLS off.</summary>
    public int TlsPort { get; set; } = 5349;

    /// <summary>
    /// Local address relay sockets bind to. Empty = the wildcard address of the allocation's family,
    /// advertised as the address the client reached us on.
    /// </summary>
    public string? RelayAddress { get; set; }

    /// <summary>Advertised relayed address behind a 1:1 NAT (the public address of RelayAddress).</summary>
    public string? ExternalAddress { get; set; }

    /// <summary>Lowest relay port (RFC 8656 section 7.2 suggests the dynamic range 49152-65535).</summary>
    public int MinPort { get; set; } = 49152;

    public int MaxPort { get; set; } = 65535;

    /// <summary>Realm offered in 401 challenges when neither ORIGIN, the TLS host name nor the address reached selects another.</summary>
    public string DefaultRealm { get; set; } = "turnstone";

    /// <summary>
    /// Relay:AddressRealms: "address=realm" entries; a client that reached the server on that local address is
    /// offered that realm (after ORIGIN and the TLS host name). A list, not a dictionary, because IPv6 addresses
    /// contain ':'. Default none.
    /// </summary>
    public List<string> AddressRealms { get; set; } = [];

    /// <summary>
    /// Relay:OriginRealms: "origin=realm" entries for relay-only hosts (turnstone serve reads coturn's
    /// turn_origin_to_realm instead); origins are matched in coturn's canonical form. Default none.
    /// </summary>
    public List<string> OriginRealms { get; set; } = [];

    /// <summary>Relay:HostNameRealms: "host=realm" entries (TLS SNI, any case) for relay-only hosts. Default none.</summary>
    public List<string> HostNameRealms { get; set; } = [];

    /// <summary>
    /// Relay:RealmSharedSecrets: TURN REST secrets of realms other than the default, for relay-only hosts
    /// (Relay:RealmSharedSecrets:&lt;realm&gt;:0 = secret). Default none.
    /// </summary>
    public Dictionary<string, List<string>> RealmSharedSecrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Relay:UnauthenticatedAnswersPerSecond (default 20; 0 = no limit): answers sent before authentication
    /// (401, 438, 400, Binding) per second to one source address (IPv6: one /64); excess is dropped silently.
    /// Bounds what a spoofed flood can reflect to a victim.
    /// </summary>
    public int UnauthenticatedAnswersPerSecond { get; set; } = 20;

    /// <summary>Relay:UnauthenticatedAnswerBurst (default 100): answers a quiet source may get at once.</summary>
    public int UnauthenticatedAnswerBurst { get; set; } = 100;

    /// <summary>
    /// Relay:RequestsPerSecondPerSource (default 200; 0 = no limit): STUN requests per second that one source (IPv4
    /// address, IPv6 /64) without an allocation may send before they are dropped unread, ahead of any parsing
    /// beyond the message type. Keeps a flooding source from costing the request path its CPU, so other clients'
    /// requests are still read. Requests on a 5-tuple with an allocation and relayed data never count.
    /// </summary>
    public int RequestsPerSecondPerSource { get; set; } = 200;

    /// <summary>Relay:RequestBurstPerSource (default 500): requests a quiet source may send at once.</summary>
    public int RequestBurstPerSource { get; set; } = 500;

    /// <summary>Relay:UnauthenticatedAnswersPerPrefixPerSecond (default 200; 0 = no limit): the same per IPv4 /24 or IPv6 /56.</summary>
    public int UnauthenticatedAnswersPerPrefixPerSecond { get; set; } = 200;

    /// <summary>Relay:UnauthenticatedAnswerPrefixBurst (default 1000).</summary>
    public int UnauthenticatedAnswerPrefixBurst { get; set; } = 1_000;

    /// <summary>
    /// Relay:MaxRequestsInFlightPerSource (default 32; 0 = only the server-wide 2,048): requests from one source
    /// address (IPv6: one /64) waiting on the credential or policy store at once, so one address cannot take
    /// every slot. Only requests carrying a nonce of ours count.
    /// </summary>
    public int MaxRequestsInFlightPerSource { get; set; } = 32;

    /// <summary>Relay:MaxRequestsInFlightPerPrefix (default 256; 0 = no per-prefix limit): the same per IPv4 /24 or IPv6 /56.</summary>
    public int MaxRequestsInFlightPerPrefix { get; set; } = 256;

    /// <summary>
    /// Relay:AllowLoopbackPeers (default false). Lets clients relay to 127.0.0.0/8 and ::1: for
    /// tests and single-host setups only, since it exposes every service listening on loopback.
    /// Read by the peer policy.
    /// </summary>
    public bool AllowLoopbackPeers { get; set; }

    /// <summary>
    /// Relay:DenyPrivatePeers (default false). Also refuses RFC 1918 (10/8, 172.16/12, 192.168/16),
    /// shared address space 100.64/10, and unique-local fc00::/7 (and deprecated site-local
    /// fec0::/10): set it when the relay sits next to a private network clients must not reach.
    /// </summary>
    public bool DenyPrivatePeers { get; set; }

    /// <summary>Default for <see cref="TlsGeneratedDirectory"/>, relative to the working directory.</summary>
    public const string DefaultTlsGeneratedDirectory = "./.data/tls";

    /// <summary>
    /// Relay:TlsCertificatePath: PEM certificate, optionally followed by its intermediate CA
    /// certificates. Either both this and <see cref="TlsKeyPath"/> are set, or neither: then a
    /// self-signed certificate is generated at first start and kept under <see cref="TlsGeneratedDirectory"/>.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Relay:TlsKeyPath: PEM private key (PKCS#8, RSA or EC) of the certificate; unencrypted.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>
    /// Relay:TlsGeneratedDirectory (default ./.data/tls): where the self-signed certificate and key
    /// are kept when no certificate is configured, so restarts reuse them (key file mode 0600).
    /// </summary>
    public string TlsGeneratedDirectory { get; set; } = DefaultTlsGeneratedDirectory;

    /// <summary>
    /// Relay:TlsCertificates: more certificates, each presented to clients whose TLS SNI host name matches one of its
    /// subject alternative DNS names (wildcards such as *.example.org match one label). Relay:TlsCertificatePath (or
    /// the generated one) stays the default for a handshake without SNI or with a name no entry matches.
    /// </summary>
    public List<TlsCertificateFiles> TlsCertificates { get; set; } = [];

    /// <summary>
    /// Relay:TlsReloadIntervalSeconds (default 5): how often the certificate and key files are checked for a change
    /// (content, modification time, or the target of a symbolic link such as certbot's live/ links); a change is
    /// loaded for the next handshakes. 0 = only on SIGHUP. Live connections keep their session either way.
    /// </summary>
    public int TlsReloadIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Relay:TlsHandshakeTimeoutSeconds (default 10): a TLS handshake not finished by then is dropped, so
    /// connections that never handshake cannot hold connection slots for long.
    /// </summary>
    public int TlsHandshakeTimeoutSeconds { get; set; } = 10;

    internal bool HasTlsCertificate => !string.IsNullOrWhiteSpace(TlsCertificatePath) || !string.IsNullOrWhiteSpace(TlsKeyPath);

    /// <summary>SOFTWARE attribute in responses; empty = none.</summary>
    public string Software { get; set; } = "Turnstone";

    /// <summary>Relay:UserQuota default: enough for a browser's UDP, TCP and TLS allocations in three calls at once.</summary>
    public const int DefaultUserQuota = 10;

    /// <summary>
    /// Relay:UserQuota (default 10; coturn's user-quota defaults to 0). Concurrent allocations per user (486 beyond),
    /// EVEN-PORT reservations included; a TURN REST credential counts against its user part, so one shared credential
    /// or a stream of fresh ones cannot take every relay port. 0 = unlimited. A realm may set its own, never above this
    /// when this is non-zero.
    /// </summary>
    public int UserQuota { get; set; } = DefaultUserQuota;

    /// <summary>
    /// Relay:TotalQuota (default 0 = unlimited). Concurrent allocations per realm (508 beyond), reservations included.
    /// A realm may set its own, never above this when this is non-zero.
    /// </summary>
    public int TotalQuota { get; set; }

    /// <summary>Bandwidth cap per allocation, each direction; excess is dropped. 0 = unlimited. A realm may set its own, never above this when non-zero.</summary>
    public long MaxBitsPerSecond { get; set; }

    /// <summary>
    /// Users for relay-only mode (no database). Used only when no other credential store is
    /// registered. Entries are "user:password" or { Name, Password, Realm }.
    /// </summary>
    public List<RelayUser> Users { get; set; } = [];

    /// <summary>TURN REST API shared secrets for <see cref="DefaultRealm"/> in relay-only mode (other realms: <see cref="RealmSharedSecrets"/>).</summary>
    public List<string> SharedSecrets { get; set; } = [];

    /// <summary>
    /// Open TCP/TLS client connections at most; further ones are closed at once. Bounds memory
    /// (each connection holds a receive buffer and a send queue).
    /// </summary>
    public int MaxStreamConnections { get; set; } = 10_000;

    /// <summary>
    /// A TCP/TLS connection that has no allocation and sends no complete message for this long, or
    /// stalls this long inside a message, is closed: slow-loris and garbage protection.
    /// </summary>
    public int StreamIdleTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Relay:MaxStreamConnectionsPerAddress (default 32): open TCP/TLS connections at most from one client address
    /// (IPv6: one /64), counted from accept, TLS handshakes included; further ones are closed at once, so one
    /// source cannot take the server-wide <see cref="MaxStreamConnections"/>. A browser uses one per allocation.
    /// </summary>
    public int MaxStreamConnectionsPerAddress { get; set; } = 32;

    /// <summary>
    /// Relay:StreamAuthTimeoutSeconds (default 30): a TCP/TLS connection on which no request has passed
    /// MESSAGE-INTEGRITY this long after accept, and that holds no allocation, is closed whatever it sends
    /// (Binding keepalives do not keep it open). A connection with an allocation is never closed by this.
    /// </summary>
    public int StreamAuthTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Accepts ChannelBind numbers 0x5000-0x7FFF as RFC 5766 did (RFC 8656 section 12 narrowed the
    /// range to 0x4000-0x4FFF). On by default: coturn's turnutils_uclient still picks numbers such as
    /// 0x7587, and coturn accepts them. Set false for strict RFC 8656 (400 for those numbers).
    /// </summary>
    public bool AllowRfc5766ChannelNumbers { get; set; } = true;

    /// <summary>
    /// UDP sockets per listen address, sharing the port with SO_REUSEPORT (Linux only; elsewhere 1),
    /// each with its own receive loop, so client traffic spreads over cores while each client stays
    /// on one socket (the kernel hashes its address). Default 1.
    /// </summary>
    public int UdpListenersPerAddress { get; set; } = 1;

    /// <summary>
    /// On Linux x86-64/arm64 when true (the default): UDP sockets and plain TCP connections are
    /// served by event-loop threads (epoll, recvmmsg, non-blocking send) and TCP sends are tried
    /// inline before queueing. False, or any other platform: the portable .NET async socket paths.
    /// Both relay the same way; the event loops use about a third of the CPU per message.
    /// </summary>
    public bool LinuxFastPath { get; set; } = true;

    /// <summary>
    /// Event-loop threads serving every UDP socket (listeners and relay sockets) with
    /// <see cref="LinuxFastPath"/>: 0 (default) = one per core. Each datagram is handled on the
    /// thread that read it: no thread hop, no allocation.
    /// </summary>
    public int EventLoops { get; set; }

    /// <summary>Allocations at most across the server, EVEN-PORT reservations included (each holds a socket); 0 = only the port range bounds it.</summary>
    public int MaxAllocations { get; set; }

    /// <summary>
    /// Relay:AlternateServers (default none): where a relay-only host sends a new Allocate it cannot take (300 Try
    /// Alternate, RFC 8489 section 10), as "transport=ip:port" entries, transport udp, tcp or tls, e.g.
    /// "udp=203.0.113.8:3478", "tls=[2001:db8::8]:5349". A client is sent to an entry of its own transport and address
    /// family, round-robin. `turnstone serve` replaces the list with the live nodes of the registry.
    /// </summary>
    public List<string> AlternateServers { get; set; } = [];

    /// <summary>Relay:RedirectWhenDraining (default true): a draining node answers a new Allocate 300 when it has an alternate (else 508).</summary>
    public bool RedirectWhenDraining { get; set; } = true;

    /// <summary>
    /// Relay:RedirectWhenFull (default true): a node at <see cref="MaxAllocations"/>, or with no relay port left, answers
    /// a new Allocate 300 when it has an alternate (else 508).
    /// </summary>
    public bool RedirectWhenFull { get; set; } = true;
}
