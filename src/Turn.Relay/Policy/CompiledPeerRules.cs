namespace Turn.Relay.Policy;

/// <summary>A realm policy's peer ranges parsed once; invalid strings are left out (and logged).</summary>
internal sealed class CompiledPeerRules(IpRange[] allowed, IpRange[] denied)
{
    public static readonly CompiledPeerRules Empty = new([], []);

    public IpRange[] Allowed { get; } = allowed;

    public IpRange[] Denied { get; } = denied;

    public bool IsAllowed(IpAddressBits peer) => AnyContains(Allowed, peer);

    public bool IsDenied(IpAddressBits peer) => AnyContains(Denied, peer);

    private static bool AnyContains(IpRange[] ranges, IpAddressBits peer)
    {
        foreach (var range in ranges)
        {
            if (range.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }
}
