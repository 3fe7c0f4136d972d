using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Policy;

/// <summary><see cref="IRelayLimits"/> over the bound <see cref="RelayOptions"/>.</summary>
internal sealed class RelayLimits(IOptions<RelayOptions> options) : IRelayLimits
{
    public int UserQuota => options.Value.UserQuota;

    public int TotalQuota => options.Value.TotalQuota;

    public long MaxBitsPerSecond => options.Value.MaxBitsPerSecond;
}
