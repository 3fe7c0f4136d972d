namespace Admin.Data.Usage;

/// <summary>
/// Summed usage of one billing account: a realm's user part (<see cref="UsageUserPart"/>), over all its TURN REST
/// credentials and its long-term name. <paramref name="Credentials"/> counts the distinct user names seen,
/// <paramref name="RestCredentials"/> those that were TURN REST credentials. Bytes are bytes (no prefix).
/// </summary>
public sealed record UsageAccount(string Realm, string User, int Credentials, int RestCredentials,
    long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
