using System.Net;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Cluster;

/// <summary>A relay's state, status and control seams with settable answers, for the cluster services.</summary>
internal sealed class FakeRelay(TimeProvider time) : IRelayState, IRelayStatus, IRelayControl
{
    public List<AllocationSnapshot> Allocations { get; } = [];

    public IReadOnlyList<IPEndPoint> UdpEndPoints { get; set; } = [IPEndPoint.Parse("127.0.0.1:3478")];

    public IReadOnlyList<IPEndPoint> TcpEndPoints { get; set; } = [IPEndPoint.Parse("127.0.0.1:3478")];

    public IReadOnlyList<IPEndPoint> TlsEndPoints { get; set; } = [];

    public bool IsListening => true;

    public bool IsFull { get; set; }

    public bool IsDraining { get; private set; }

    public RelayStateSnapshot GetSnapshot() => new(time.GetUtcNow(), [.. Allocations]);

    public IDisposable Subscribe(Action onChanged) => new NoSubscription();

    public RelayTrafficTotals GetTrafficTotals() => RelayTrafficTotals.Zero;

    public bool TerminateAllocation(string allocationId) => Allocations.RemoveAll(a => a.Id == allocationId) > 0;

    public int TerminateUser(string realm, string username) => Allocations.RemoveAll(a => a.Realm == realm && a.Username == username);

    public int TerminateBySecret(string realm, string secretSha256) => 0;

    public int TerminateByCredentialKind(RelayCredentialKind kind) => 0;

    public bool Drain()
    {
        if (IsDraining) return false;
        IsDraining = true;
        return true;
    }

    public bool Resume()
    {
        if (!IsDraining) return false;
        IsDraining = false;
        return true;
    }

    private sealed class NoSubscription : IDisposable
    {
        public void Dispose() { }
    }
}
