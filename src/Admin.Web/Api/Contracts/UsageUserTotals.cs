namespace Admin.Web.Api.Contracts;

/// <summary>
/// One billing account's totals: <c>user</c> is a long-term user's name or a TURN REST credential's user part;
/// <c>credentials</c> counts the distinct user names behind it, <c>restCredentials</c> those that were REST credentials.
/// </summary>
public sealed record UsageUserTotals(string Realm, string User, int Credentials, int RestCredentials,
    long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
