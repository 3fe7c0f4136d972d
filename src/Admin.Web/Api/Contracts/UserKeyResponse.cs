namespace Admin.Web.Api.Contracts;

/// <summary>The stored long-term key, lowercase hex MD5("user:realm:password"), as turnadmin -k prints it.</summary>
public sealed record UserKeyResponse(string Realm, string Name, string HmacKey);
