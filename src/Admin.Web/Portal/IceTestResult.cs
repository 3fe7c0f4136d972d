namespace Admin.Web.Portal;

/// <summary>
/// What wwwroot/js/ice-test.js reports for one transport: the URLs it used, the candidates and candidate errors, whether
/// the data channel opened, the median round-trip time and the throughput over a few seconds, and where it stopped
/// (<see cref="Failure"/>: "no-url", "no-relay-candidates", "channel-timeout", "error: ..."; null = it worked).
/// </summary>
public sealed record IceTestResult(
    string Transport,
    IReadOnlyList<string> Urls,
    IReadOnlyList<IceTestCandidate> Candidates,
    IReadOnlyList<IceTestError> Errors,
    bool Opened,
    double? RttMs,
    double? ThroughputBitsPerSecond,
    long BytesEchoed,
    string? Failure,
    string? SelectedPair,
    double ElapsedMs)
{
    public int RelayCandidates => Candidates.Count(c => c.Type == "relay");
}
