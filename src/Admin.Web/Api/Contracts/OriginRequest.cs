namespace Admin.Web.Api.Contracts;

/// <summary>An ORIGIN to map to the realm (coturn's turn_origin_to_realm), e.g. "https://app.example.org".</summary>
public sealed record OriginRequest(string? Origin);
