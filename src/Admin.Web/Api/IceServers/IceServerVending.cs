using Admin.Data.Administration;
using Admin.Data.Realms;
using Admin.Web.Api.Contracts;
using Admin.Web.Portal;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay;
using Turn.Relay.Seams;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// Hands out TURN REST API credentials (coturn's use-auth-secret) for the API and the portal's generator: username
/// "expiry:label" in the default realm and "expiry:label@realm" in any other (<see cref="RealmRestUsername"/>), so
/// every realm works on one listener; credential base64(HMAC-SHA1(secret, username)), signed with the realm's newest
/// shared secret (or the one the portal picked); URLs from <see cref="IceServerUrls"/>. Refuses, with nothing handed
/// out, a realm without a secret, a realm the relay does not know, and URLs that cannot work.
/// </summary>
public sealed class IceServerVending(
    SecretAdministration secrets, RealmEntryPoints entryPoints, IceServerUrls urls, IOptions<ApiOptions> options, IOptions<RelayOptions> relay,
    IServiceProvider services, TimeProvider time)
{
    /// <summary>Longest label: the username must fit STUN's USERNAME (513 bytes) with room for the expiry and the realm.</summary>
    public const int MaxLabelLength = 256;

    public async Task<IceServersResponse> VendAsync(AdminActor actor, string realm, IceServersRequest request, HttpRequest httpRequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(httpRequest);
        var settings = options.Value;
        var ttl = request.Ttl ?? settings.DefaultTtlSeconds;
        if (ttl < ApiOptions.MinTtlSeconds || ttl > settings.MaxTtlSeconds)
            throw new AdminOperationException(AdminErrorCode.InvalidInput,
                $"The ttl must be {ApiOptions.MinTtlSeconds} to {settings.MaxTtlSeconds} seconds.", "ttl");
        var label = request.Label ?? "";
        if (label.Length > MaxLabelLength || label.Any(char.IsControl))
            throw new AdminOperationException(AdminErrorCode.InvalidInput,
                $"The label must be at most {MaxLabelLength} characters without control characters.", "label");

        var secret = await secrets.GetSigningSecretAsync(actor, realm, cancellationToken);
        var expiresAt = time.GetUtcNow().AddSeconds(ttl);
        var (username, serverUrls) = await PrepareAsync(actor, realm, label, expiresAt, httpRequest.Host.Host, request.Turns, cancellationToken);
        var credential = TurnRestCredential.ComputePassword(secret.Value, username);
        return new IceServersResponse([new IceServer(serverUrls, username, credential)], ttl,
            DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>The portal's generator: the same username and URLs, signed with the secret the admin picked.</summary>
    public async Task<EphemeralCredential> GenerateAsync(
        AdminActor actor, string realm, string secret, string label, TimeSpan lifetime, string pageHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var expiresAt = time.GetUtcNow() + lifetime;
        var (username, serverUrls) = await PrepareAsync(actor, realm, label, expiresAt, pageHost, null, cancellationToken);
        return EphemeralCredential.Sign(secret, username, expiresAt, serverUrls);
    }

    private async Task<(string Username, IReadOnlyList<string> Urls)> PrepareAsync(
        AdminActor actor, string realm, string label, DateTimeOffset expiresAt, string requestHost, bool? turns, CancellationToken cancellationToken)
    {
        var defaultRealm = relay.Value.DefaultRealm;
        var directory = services.GetService<IRealmDirectory>();
        if (!string.Equals(realm, defaultRealm, StringComparison.Ordinal) && directory is not null && !directory.RealmExists(realm))
        {
            // The realm may be seconds old: read the directory now rather than refuse a realm that exists.
            if (directory is PostgresRealmDirectory stored) await stored.ReloadAsync(cancellationToken);
            if (!directory.RealmExists(realm))
                throw new AdminOperationException(AdminErrorCode.Conflict,
                    $"The relay does not know realm '{realm}', so it would not accept 'user@{realm}' credentials. Try again in a few seconds.", "realm");
        }
        var hostNames = await entryPoints.ListHostNamesAsync(actor, realm, cancellationToken);
        var serverUrls = urls.For(realm, hostNames, requestHost, turns);
        return (RealmRestUsername.Create(expiresAt, label, realm, defaultRealm, directory), serverUrls);
    }
}
