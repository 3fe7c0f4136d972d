using Admin.Data.Administration;
using Admin.Web.Api.Contracts;
using Microsoft.Extensions.Options;
using Turn.Protocol;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// Hands out TURN REST API credentials (coturn's use-auth-secret): username "expiry:label", credential
/// base64(HMAC-SHA1(secret, username)), signed with the realm's newest shared secret.
/// </summary>
public sealed class IceServerVending(SecretAdministration secrets, IceServerUrls urls, IOptions<ApiOptions> options, TimeProvider time)
{
    /// <summary>Longest label: the username must fit STUN's USERNAME (513 bytes) with room for the expiry.</summary>
    public const int MaxLabelLength = 256;

    public async Task<IceServersResponse> VendAsync(AdminActor actor, string realm, IceServersRequest request, HttpRequest httpRequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
        var username = TurnRestCredential.CreateUsername(expiresAt, label);
        var credential = TurnRestCredential.ComputePassword(secret.Value, username);
        return new IceServersResponse([new IceServer(urls.For(httpRequest), username, credential)], ttl,
            DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }
}
