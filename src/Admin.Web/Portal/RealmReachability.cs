using Admin.Data.Administration;
using Admin.Web.Api.IceServers;
using Microsoft.Extensions.Options;
using Turn.Relay;

namespace Admin.Web.Portal;

/// <summary>Builds <see cref="RealmReach"/> for the realms an admin may see: stored ways in plus the relay's configuration.</summary>
public sealed class RealmReachability(RealmEntryPoints entryPoints, AddressRealms addressRealms, IOptions<RelayOptions> relay)
{
    /// <summary>Relay:DefaultRealm.</summary>
    public string DefaultRealm => relay.Value.DefaultRealm;

    public async Task<IReadOnlyList<RealmReach>> ListAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        var summaries = await entryPoints.SummarizeAsync(actor, cancellationToken);
        return summaries.Select(s => new RealmReach(s.Realm, string.Equals(s.Realm, DefaultRealm, StringComparison.Ordinal),
            s.Origins, s.HostNames, addressRealms.For(s.Realm), s.Users, s.Secrets)).ToList();
    }

    public async Task<RealmReach?> ForAsync(AdminActor actor, string realm, CancellationToken cancellationToken) =>
        (await ListAsync(actor, cancellationToken)).FirstOrDefault(r => r.Realm == realm);
}
