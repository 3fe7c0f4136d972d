namespace Admin.Web.Api.Contracts;

/// <param name="Ttl">Lifetime in seconds (default Api:DefaultTtlSeconds, at most Api:MaxTtlSeconds).</param>
/// <param name="Label">Who the credentials are for; becomes the part after "expiry:" in the username. Optional.</param>
public sealed record IceServersRequest(int? Ttl = null, string? Label = null);
