using Turn.Protocol;

namespace Turn.Relay.Methods;

/// <summary>The lifetime an Allocate or Refresh gets for the LIFETIME it asked for.</summary>
internal static class GrantedLifetime
{
    // RFC 8656 sections 7.2 and 8: min(requested, max), but never below the default.
    public static TimeSpan For(in StunMessageReader request)
    {
        if (!request.TryGetUInt32(StunAttributeType.Lifetime, out var seconds)) return RelayLifetimes.DefaultAllocation;
        var requested = TimeSpan.FromSeconds(Math.Min(seconds, RelayLifetimes.MaxAllocation.TotalSeconds));
        return requested > RelayLifetimes.DefaultAllocation ? requested : RelayLifetimes.DefaultAllocation;
    }
}
