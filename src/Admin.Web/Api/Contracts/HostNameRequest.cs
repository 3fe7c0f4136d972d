namespace Admin.Web.Api.Contracts;

/// <summary>A DNS name clients reach the realm by (TLS SNI picks the realm; vended URLs name it), e.g. "turn.tenant.example".</summary>
public sealed record HostNameRequest(string? HostName);
