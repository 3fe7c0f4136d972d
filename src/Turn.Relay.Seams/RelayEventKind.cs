namespace Turn.Relay.Seams;

public enum RelayEventKind
{
    AllocationCreated,
    AllocationRefreshed,
    AllocationDeleted,
    AuthenticationFailed,
    QuotaRejected,
    PeerRejected,
}
