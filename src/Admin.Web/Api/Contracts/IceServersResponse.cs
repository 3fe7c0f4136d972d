namespace Admin.Web.Api.Contracts;

/// <summary>Fresh TURN REST credentials: valid for <paramref name="Ttl"/> seconds, until <paramref name="ExpiresAt"/>.</summary>
public sealed record IceServersResponse(IReadOnlyList<IceServer> IceServers, int Ttl, DateTimeOffset ExpiresAt);
