namespace Turnstone.TestSupport.Clients;

/// <summary>
/// turnutils_uclient's printed totals (null when it never got that far). uclient exits 0 even when
/// every message was lost, so judge a run by <see cref="IsZeroLoss"/>, not by the exit code.
/// <see cref="ErrorCodes"/> are the STUN error codes it printed ("channel bind: error 403 (Forbidden)").
/// </summary>
public sealed record UclientResult(
    ProcessResult Process,
    long? SentMessages,
    long? ReceivedMessages,
    long? SentBytes,
    long? ReceivedBytes,
    long? LostPackets,
    double? LostPercent,
    long? SendDropped,
    double? AverageRoundTripMilliseconds,
    bool AllocationFailed,
    IReadOnlyList<int> ErrorCodes)
{
    /// <summary>It ran to the end, sent what it was asked to, and every message came back.</summary>
    public bool IsZeroLoss(long expectedMessages) =>
        !Process.TimedOut && !AllocationFailed && SentMessages == expectedMessages && ReceivedMessages == expectedMessages
        && LostPackets == 0 && SendDropped == 0;
}
