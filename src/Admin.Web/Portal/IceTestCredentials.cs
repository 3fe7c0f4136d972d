using Admin.Data.Administration;
using Admin.Web.Api.IceServers;

namespace Admin.Web.Portal;

/// <summary>
/// Credentials for the ICE test page: the same TURN REST credentials and URLs the ice-servers endpoint vends
/// (<see cref="IceServerVending"/>), signed with the realm's newest shared secret, labelled "ice-test" and short-lived.
/// The realm scope is the secret service's: a realm admin can only test their own realm.
/// </summary>
public sealed class IceTestCredentials(SecretAdministration secrets, IceServerVending vending)
{
    public const string Label = "ice-test";

    /// <summary>Long enough for one test run and a retry, short enough to be worthless when copied out of the page.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<EphemeralCredential> ForAsync(AdminActor actor, string realm, string pageHost, CancellationToken cancellationToken)
    {
        var secret = await secrets.GetSigningSecretAsync(actor, realm, cancellationToken);
        return await vending.GenerateAsync(actor, realm, secret.Value, Label, Lifetime, pageHost, cancellationToken);
    }
}
