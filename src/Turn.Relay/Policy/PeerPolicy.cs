using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Policy;

/// <summary>
/// Decides whether a client may relay to a peer address (CreatePermission, ChannelBind and Send
/// with a new peer; not per relayed packet). The built-in denials and the superuser's global denials
/// are a floor that no realm rule can lower. Order of checks:
/// <list type="number">
/// <item>IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) addresses are
/// judged as the IPv4 address they reach; an address in NAT64's local-use 64:ff9b:1::/48 is judged as each
/// IPv4 address it may embed, and refused if any is refused.</item>
/// <item>Unspecified 0.0.0.0 and :: are always refused: they name no peer, and on Linux a datagram
/// sent to them reaches the local host, so no rule can allow them.</item>
/// <item>Built-in denials: 0.0.0.0/8, loopback (unless AllowLoopbackPeers), cloud metadata
/// (<see cref="CloudMetadataAddresses"/>), link-local, multicast, 240.0.0.0/4, the broadcast address, and with
/// DenyPrivatePeers RFC 1918, 100.64.0.0/10, fc00::/7 and fec0::/10. Only a global ("" realm, superuser) allow
/// rule makes an exception; a realm's allow rules never do.</item>
/// <item>Global denied ranges refuse, again unless a global allow rule contains the peer.</item>
/// <item>A realm or global allowed range allows (coturn's rule: allow wins over deny above the floor).</item>
/// <item>A realm denied range refuses.</item>
/// </list>
/// Thread-safe. Realm policies are compiled once per instance (they are immutable records).
/// </summary>
internal sealed partial class PeerPolicy : IPeerPolicy
{
    private static readonly IpRange ThisNetworkV4 = IpRange.Parse("0.0.0.0/8");
    private static readonly IpRange LoopbackV4 = IpRange.Parse("127.0.0.0/8");
    private static readonly IpRange LinkLocalV4 = IpRange.Parse("169.254.0.0/16");
    private static readonly IpRange MulticastV4 = IpRange.Parse("224.0.0.0/4");
    private static readonly IpRange ReservedV4 = IpRange.Parse("240.0.0.0/4");
    private static readonly IpRange LinkLocalV6 = IpRange.Parse("fe80::/10");
    private static readonly IpRange MulticastV6 = IpRange.Parse("ff00::/8");
    private static readonly IpRange[] PrivateRanges =
    [
        IpRange.Parse("10.0.0.0/8"),
        IpRange.Parse("172.16.0.0/12"),
        IpRange.Parse("192.168.0.0/16"),
        IpRange.Parse("100.64.0.0/10"),
        IpRange.Parse("fc00::/7"),
        IpRange.Parse("fec0::/10"),
    ];

    private const uint BroadcastV4 = uint.MaxValue;

    private readonly ConditionalWeakTable<RealmPolicy, CompiledPeerRules> _compiled = new();
    private readonly ConditionalWeakTable<RealmPolicy, CompiledPeerRules>.CreateValueCallback _compile;
    private readonly IRealmPolicyStore? _policyStore;
    private readonly ILogger<PeerPolicy> _logger;

    public PeerPolicy(IOptions<RelayOptions> options, ILogger<PeerPolicy> logger, IRealmPolicyStore? policyStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        AllowLoopbackPeers = options.Value.AllowLoopbackPeers;
        DenyPrivatePeers = options.Value.DenyPrivatePeers;
        _logger = logger ?? NullLogger<PeerPolicy>.Instance;
        _policyStore = policyStore;
        _compile = Compile;
    }

    public bool AllowLoopbackPeers { get; }

    public bool DenyPrivatePeers { get; }

    /// <summary>
    /// Looks up the realm's and the global ("") policy in the <see cref="IRealmPolicyStore"/> and
    /// evaluates the peer. Needs the store (registered by the engine).
    /// </summary>
    public async ValueTask<PeerVerdict> EvaluateAsync(string realm, IPAddress peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (_policyStore is null)
        {
            throw new InvalidOperationException("PeerPolicy was created without an IRealmPolicyStore; call Evaluate with the policies instead.");
        }

        var global = await _policyStore.GetPolicyAsync(string.Empty, cancellationToken).ConfigureAwait(false);
        var realmPolicy = realm.Length == 0 ? RealmPolicy.Empty : await _policyStore.GetPolicyAsync(realm, cancellationToken).ConfigureAwait(false);
        return Evaluate(peer, realmPolicy, global);
    }

    /// <summary>True when <see cref="Evaluate"/> allows the peer.</summary>
    public bool IsAllowed(IPAddress peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy) =>
        IsAllowedVerdict(Evaluate(peer, realmPolicy, globalPolicy));

    /// <summary>Judges a peer address with the realm's rules and the global ("" realm) rules. Does not allocate once the policies are compiled.</summary>
    public PeerVerdict Evaluate(IPAddress peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(realmPolicy);
        ArgumentNullException.ThrowIfNull(globalPolicy);
        return Evaluate(IpAddressBits.From(peer), realmPolicy, globalPolicy);
    }

    /// <summary>As <see cref="Evaluate(IPAddress, RealmPolicy, RealmPolicy)"/>, for a raw 4- or 16-byte address.</summary>
    public PeerVerdict Evaluate(ReadOnlySpan<byte> peerAddressBytes, RealmPolicy realmPolicy, RealmPolicy globalPolicy)
    {
        ArgumentNullException.ThrowIfNull(realmPolicy);
        ArgumentNullException.ThrowIfNull(globalPolicy);
        return Evaluate(IpAddressBits.FromBytes(peerAddressBytes), realmPolicy, globalPolicy);
    }

    /// <summary>The address a peer is judged as: IPv4-mapped, IPv4-compatible and NAT64 well-known-prefix IPv6 become IPv4.</summary>
    public static IPAddress Canonicalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bits = IpAddressBits.From(address);
        var canonical = bits.Canonical();
        return canonical == bits ? address : canonical.ToIPAddress();
    }

    private PeerVerdict Evaluate(IpAddressBits peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy)
    {
        peer = peer.Canonical();
        var realmRules = Rules(realmPolicy);
        // Realm "" is the global policy itself: its rules are the superuser's.
        var globalRules = ReferenceEquals(realmPolicy, globalPolicy) ? realmRules : Rules(globalPolicy);
        if (ReferenceEquals(realmPolicy, globalPolicy)) realmRules = CompiledPeerRules.Empty;
        if (!Nat64Address.IsLocalUse(peer)) return EvaluateCanonical(peer, realmRules, globalRules);

        // The strictest reading wins: an operator's NAT64 may use any prefix length inside the block.
        Span<uint> candidates = stackalloc uint[Nat64Address.CandidateCount];
        var count = Nat64Address.LocalUseCandidates(peer, candidates);
        var first = EvaluateCanonical(new IpAddressBits(true, candidates[0]), realmRules, globalRules);
        if (!IsAllowedVerdict(first)) return first;
        for (var i = 1; i < count; i++)
        {
            var verdict = EvaluateCanonical(new IpAddressBits(true, candidates[i]), realmRules, globalRules);
            if (!IsAllowedVerdict(verdict)) return verdict;
        }
        return first;
    }

    private PeerVerdict EvaluateCanonical(IpAddressBits peer, CompiledPeerRules realmRules, CompiledPeerRules globalRules)
    {
        if (peer.Value == 0)
        {
            return PeerVerdict.Unspecified;
        }

        // The floor: built-in denials, then the superuser's global denials. Only a global allow rule (an exception
        // a superuser made) opens either; a realm admin's allow rules are never consulted here.
        var builtIn = BuiltInVerdict(peer);
        if (builtIn != PeerVerdict.Allowed)
        {
            return globalRules.IsAllowed(peer) ? PeerVerdict.AllowedByRule : builtIn;
        }

        if (globalRules.IsDenied(peer))
        {
            return globalRules.IsAllowed(peer) ? PeerVerdict.AllowedByRule : PeerVerdict.DeniedByRule;
        }

        if (realmRules.IsAllowed(peer) || globalRules.IsAllowed(peer))
        {
            return PeerVerdict.AllowedByRule;
        }

        return realmRules.IsDenied(peer) ? PeerVerdict.DeniedByRule : PeerVerdict.Allowed;
    }

    private static bool IsAllowedVerdict(PeerVerdict verdict) => verdict is PeerVerdict.Allowed or PeerVerdict.AllowedByRule;

    /// <summary>What the built-in denials say about a canonical, specified address: Allowed when none applies.</summary>
    private PeerVerdict BuiltInVerdict(IpAddressBits peer)
    {
        if (CloudMetadataAddresses.Contains(peer))
        {
            return PeerVerdict.CloudMetadata;
        }

        var verdict = peer.IsIPv4 ? DefaultVerdictV4(peer) : DefaultVerdictV6(peer);
        if (verdict != PeerVerdict.Allowed || !DenyPrivatePeers)
        {
            return verdict;
        }

        foreach (var range in PrivateRanges)
        {
            if (range.Contains(peer))
            {
                return PeerVerdict.Private;
            }
        }

        return PeerVerdict.Allowed;
    }

    private PeerVerdict DefaultVerdictV4(IpAddressBits peer)
    {
        if (ThisNetworkV4.Contains(peer))
        {
            return PeerVerdict.ThisNetwork;
        }

        if (LoopbackV4.Contains(peer))
        {
            return AllowLoopbackPeers ? PeerVerdict.Allowed : PeerVerdict.Loopback;
        }

        if (LinkLocalV4.Contains(peer))
        {
            return PeerVerdict.LinkLocal;
        }

        if (MulticastV4.Contains(peer))
        {
            return PeerVerdict.Multicast;
        }

        if (peer.Value == BroadcastV4)
        {
            return PeerVerdict.Broadcast;
        }

        return ReservedV4.Contains(peer) ? PeerVerdict.Reserved : PeerVerdict.Allowed;
    }

    private PeerVerdict DefaultVerdictV6(IpAddressBits peer)
    {
        if (peer.Value == UInt128.One)
        {
            return AllowLoopbackPeers ? PeerVerdict.Allowed : PeerVerdict.Loopback;
        }

        if (LinkLocalV6.Contains(peer))
        {
            return PeerVerdict.LinkLocal;
        }

        return MulticastV6.Contains(peer) ? PeerVerdict.Multicast : PeerVerdict.Allowed;
    }

    private CompiledPeerRules Rules(RealmPolicy policy) =>
        policy.AllowedPeerRanges.Count == 0 && policy.DeniedPeerRanges.Count == 0
            ? CompiledPeerRules.Empty
            : _compiled.GetValue(policy, _compile);

    private CompiledPeerRules Compile(RealmPolicy policy) =>
        new(Parse(policy.AllowedPeerRanges, "allowed"), Parse(policy.DeniedPeerRanges, "denied"));

    private IpRange[] Parse(IReadOnlyList<string> texts, string kind)
    {
        var ranges = new List<IpRange>(texts.Count);
        foreach (var text in texts)
        {
            if (IpRange.TryParse(text, out var range, out var error))
            {
                ranges.Add(range);
            }
            else
            {
                LogInvalidRange(kind, error);
            }
        }

        return [.. ranges];
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Ignoring an invalid {Kind} peer IP range: {Error}")]
    private partial void LogInvalidRange(string kind, string error);
}
