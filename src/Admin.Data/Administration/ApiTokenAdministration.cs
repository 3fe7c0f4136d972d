using System.Security.Cryptography;
using System.Text;
using Admin.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Admin.Data.Administration;

/// <summary>
/// Per-admin API tokens: "tst_" and 43 base64url characters (256 random bits). Only the SHA-256 of the token is
/// stored (a slow hash buys nothing for 256-bit random values), plus its first characters to tell tokens apart.
/// A token acts with its admin's realm scoping as it is at each request, and is refused at once when revoked,
/// expired or when its admin is deleted (rows cascade). Creating and revoking are audited, each in one transaction with
/// its change. The bearer scheme that presents tokens is the host's (Admin.Web's ApiTokenAuthenticationHandler).
/// </summary>
public sealed class ApiTokenAdministration(IDbContextFactory<AdminDbContext> factory, AuditWriter audit, TimeProvider time)
{
    /// <summary>The recognisable start of every token (secret scanners and humans can tell what leaked).</summary>
    public const string TokenPrefix = "tst_";

    public const int RandomBytes = 32;

    /// <summary>Characters of the token kept in clear: the prefix and 8 random characters (48 bits: not guessable, but distinct).</summary>
    public const int ShownPrefixLength = 12;

    public const int MaxLabelLength = 100;

    /// <summary>How stale last_used_at may get: one write per token per minute, not per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public Task<CreatedApiToken> CreateAsync(AdminActor actor, string adminName, string label, TimeSpan? lifetime, CancellationToken cancellationToken) =>
        CreateAsync(actor, adminName, label, lifetime, ApiTokenScope.FullAccess, cancellationToken);

    /// <summary>
    /// Creates a token with <paramref name="scope"/>. A vend-only token's realm must exist and be one its admin manages,
    /// so a realm admin cannot mint a token for another realm's credentials.
    /// </summary>
    public async Task<CreatedApiToken> CreateAsync(AdminActor actor, string adminName, string label, TimeSpan? lifetime, ApiTokenScope scope,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actor);
        EnsureOwnerOrSuperuser(actor, adminName);
        label = label?.Trim() ?? "";
        if (label.Length == 0) throw new AdminOperationException(AdminErrorCode.InvalidInput, "Give the token a label (what it is for).", "label");
        if (label.Length > MaxLabelLength) throw new AdminOperationException(AdminErrorCode.InvalidInput, $"The label is longer than {MaxLabelLength} characters.", "label");
        if (label.Any(char.IsControl)) throw new AdminOperationException(AdminErrorCode.InvalidInput, "The label must not contain control characters.", "label");
        if (lifetime is { } span && span <= TimeSpan.Zero)
            throw new AdminOperationException(AdminErrorCode.InvalidInput, "The token's lifetime must be positive (or none, for a token that does not expire).", "lifetime");

        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(RandomBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var row = await AdminTransaction.RunAsync(factory, async db =>
        {
            if (!await db.AdminUsers.AnyAsync(a => a.Name == adminName, cancellationToken))
                throw new AdminOperationException(AdminErrorCode.NotFound, $"Admin '{adminName}' does not exist.", "admin");
            if (scope.Kind == ApiTokenScopeKind.Vend)
            {
                var ownerRealm = await db.AdminUsers.Where(a => a.Name == adminName).Select(a => a.Realm).SingleAsync(cancellationToken);
                if (string.IsNullOrEmpty(scope.Realm) || !await db.Realms.AnyAsync(r => r.Name == scope.Realm, cancellationToken))
                    throw new AdminOperationException(AdminErrorCode.InvalidInput, $"A vend-only token needs an existing realm ('{scope.Realm}' does not exist).", "realm");
                if (!string.IsNullOrEmpty(ownerRealm) && !string.Equals(ownerRealm, scope.Realm, StringComparison.Ordinal))
                    throw new AdminOperationException(AdminErrorCode.Forbidden, $"Admin '{adminName}' manages realm '{ownerRealm}' only.", "realm");
            }
            var added = new AdminApiToken
            {
                AdminName = adminName,
                Label = label,
                Prefix = token[..ShownPrefixLength],
                TokenHash = Hash(token),
                CreatedAt = now,
                ExpiresAt = lifetime is { } l ? now + l : null,
                Scope = scope.Name,
                ScopeRealm = scope.Kind == ApiTokenScopeKind.Vend ? scope.Realm : null,
            };
            db.AdminApiTokens.Add(added);
            audit.Add(db, actor, "apitoken.add", $"{adminName}/{added.Prefix}", null, new { label, expiresAt = added.ExpiresAt, scope = scope.ToString() });
            // Saved here, so the returned row carries its generated id.
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }, cancellationToken);
        return new CreatedApiToken(token, ToInfo(row));
    }

    /// <summary>An admin's tokens, newest first (revoked ones too, so the list explains why a script stopped working).</summary>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(AdminActor actor, string adminName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        EnsureOwnerOrSuperuser(actor, adminName);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AdminApiTokens.AsNoTracking().Where(t => t.AdminName == adminName)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).ToListAsync(cancellationToken);
        return rows.Select(ToInfo).ToList();
    }

    /// <summary>Revokes one of the admin's tokens; it is refused from the next request on.</summary>
    public Task<ApiTokenInfo> RevokeAsync(AdminActor actor, string adminName, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        EnsureOwnerOrSuperuser(actor, adminName);
        return AdminTransaction.RunAsync(factory, async db =>
        {
            var row = await db.AdminApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.AdminName == adminName, cancellationToken)
                ?? throw new AdminOperationException(AdminErrorCode.NotFound, $"Admin '{adminName}' has no API token {id}.", "id");
            if (row.RevokedAt is not null)
                throw new AdminOperationException(AdminErrorCode.Conflict, $"API token {row.Prefix}… was already revoked.", "id");
            row.RevokedAt = time.GetUtcNow();
            audit.Add(db, actor, "apitoken.revoke", $"{adminName}/{row.Prefix}", null, new { label = row.Label });
            return ToInfo(row);
        }, cancellationToken);
    }

    /// <summary>
    /// Who a presented token acts as, or null when it is unknown, revoked, expired or malformed. One indexed query
    /// per request, no cache, so a revocation holds from the very next request.
    /// </summary>
    public async Task<ApiTokenOwner?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        // Anything else is not ours: no database round trip for garbage.
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200) return null;
        var hash = Hash(token);
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var found = await db.AdminApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Select(t => new { t.Id, t.AdminName, t.Admin!.Realm, t.LastUsedAt, t.Scope, t.ScopeRealm })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null) return null;
        if (found.LastUsedAt is not { } used || now - used >= LastUsedResolution)
        {
            await db.AdminApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
        return new ApiTokenOwner(found.Id, found.AdminName, string.IsNullOrEmpty(found.Realm) ? null : found.Realm, ScopeOf(found.Scope, found.ScopeRealm));
    }

    /// <summary>SHA-256 of the token's UTF-8 bytes: what the table stores.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static void EnsureOwnerOrSuperuser(AdminActor actor, string adminName)
    {
        if (string.IsNullOrEmpty(adminName)) throw new AdminOperationException(AdminErrorCode.InvalidInput, "Name the admin who owns the token.", "admin");
        if (!actor.IsSuperuser && !string.Equals(actor.Name, adminName, StringComparison.Ordinal))
            throw new AdminOperationException(AdminErrorCode.Forbidden, "Admins manage only their own API tokens.", "admin");
    }

    private static ApiTokenInfo ToInfo(AdminApiToken t) =>
        new(t.Id, t.AdminName, t.Label, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, ScopeOf(t.Scope, t.ScopeRealm));

    // An unknown stored word is treated as the narrowest scope (vend of a realm nobody has), never as full access.
    private static ApiTokenScope ScopeOf(string scope, string? realm) =>
        scope == ApiTokenScope.FullName ? ApiTokenScope.FullAccess : ApiTokenScope.VendOnly(realm ?? "");
}
