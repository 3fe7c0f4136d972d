namespace Admin.Web.Api.Contracts;

/// <summary>GET /api/v1/ping: the API answers (no token needed).</summary>
public sealed record PingResponse(string Status, string Version);
