namespace Admin.Data.Import.Coturn;

/// <summary>
/// Sorts a stored coturn key by its length: 32 hex digits are the MD5 long-term key Turnstone uses (RFC 8489 section
/// 9.2.2); 64, 96 and 128 are the SHA-256/384/512 keys coturn writes when built or configured for another
/// password algorithm. Those cannot become an MD5 key (the password is gone), so such users are left out.
/// </summary>
public static class CoturnKey
{
    /// <summary>The lowercase MD5 key, or null with the reason it cannot be used.</summary>
    public static string? ToMd5Key(string? stored, out string? reason)
    {
        var key = stored?.Trim() ?? "";
        if (key.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) key = key[2..];
        if (key.Length == 0 || !key.All(Uri.IsHexDigit))
        {
            reason = "the stored key is not hexadecimal";
            return null;
        }
        reason = key.Length switch
        {
            32 => null,
            64 => "SHA-256 key (coturn's password-algorithm SHA-256): Turnstone checks MD5 keys only and the password cannot be recovered; set a new password (turnstone user passwd --password-stdin)",
            96 => "SHA-384 key: Turnstone checks MD5 keys only; set a new password (turnstone user passwd --password-stdin)",
            128 => "SHA-512 key: Turnstone checks MD5 keys only; set a new password (turnstone user passwd --password-stdin)",
            _ => $"a key of {key.Length} hex digits is no coturn key length (32 for MD5)",
        };
        return reason is null ? key.ToLowerInvariant() : null;
    }
}
