using Turn.Relay.Seams;

namespace Admin.Web.Live;

/// <summary>
/// One live allocation as the Sessions page shows it: the engine's snapshot plus what the portal derives once per
/// tick for every viewer (address texts, bit rates since the previous tick), and the node that holds it.
/// </summary>
public sealed record LiveSession(AllocationSnapshot Allocation, string ClientText, string RelayedText, double BitsPerSecondIn, double BitsPerSecondOut,
    string Node = "")
{
    public string Id => Allocation.Id;
}
