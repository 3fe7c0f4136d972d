namespace Admin.Web.Api.Contracts;

/// <summary>
/// A shared secret by its fingerprint (first 12 hex digits of its SHA-256). <paramref name="Value"/> only in the
/// answer to an add or generate: lists never show it.
/// </summary>
public sealed record SecretResponse(string Realm, string Fingerprint, string? Value = null);
