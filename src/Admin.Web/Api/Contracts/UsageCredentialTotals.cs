namespace Admin.Web.Api.Contracts;

/// <summary>One raw user name (e.g. "1796635831:webrtc-ts@realm") of a billing account, with its totals in bytes.</summary>
public sealed record UsageCredentialTotals(string Username, long BytesIn, long BytesOut, long PacketsIn, long PacketsOut, double AllocationSeconds);
