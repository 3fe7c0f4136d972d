namespace Admin.Web.Api.Contracts;

/// <param name="Ttl">Lifetime in seconds (default Api:DefaultTtlSeconds, at most Api:MaxTtlSeconds).</param>
/// <param name="Label">Who the credentials are for; becomes the user part of the username ("expiry:label", "expiry:label@realm" outside the default realm). Optional.</param>
/// <param name="Turns">True: a turns: URL is required (refused when no certificate browsers accept is presented for the realm's host); false: none; absent: included when it works.</param>
public sealed record IceServersRequest(int? Ttl = null, string? Label = null, bool? Turns = null);
