using System.Net;
using Admin.Web.Live;
using Turn.Relay.Seams;

namespace Admin.Web.Cluster;

/// <summary>Turns this node's live snapshot into its wire form, and a peer's wire form back into live sessions.</summary>
internal static class NodeSnapshotCodec
{
    public static NodeSnapshotWire ToWire(string node, LiveSnapshot local)
    {
        var allocations = new AllocationWire[local.Sessions.Count];
        for (var i = 0; i < allocations.Length; i++) allocations[i] = ToWire(local.Sessions[i]);
        var t = local.Totals;
        return new NodeSnapshotWire(node, local.TakenAt.ToUnixTimeMilliseconds(),
            new NodeTotalsWire(t.ActiveUdp, t.ActiveTcp, t.ActiveTls, t.BitsPerSecondIn, t.BitsPerSecondOut, t.AllocationsCreated, t.AuthFailures, t.QuotaRejections),
            allocations);
    }

    public static AllocationWire ToWire(LiveSession session)
    {
        var a = session.Allocation;
        return new AllocationWire(a.Id, a.Realm, a.Username, (int)a.Transport, a.ClientAddress.ToString(), session.RelayedText,
            a.Created.ToUnixTimeMilliseconds(), a.Expires.ToUnixTimeMilliseconds(),
            a.Permissions.Count == 0 ? null : a.Permissions.Select(p => new PermissionWire(p.Peer.ToString(), p.Expires.ToUnixTimeMilliseconds())).ToArray(),
            a.Channels.Count == 0 ? null : a.Channels.Select(c => new ChannelWire(c.Number, c.Peer.ToString(), c.Expires.ToUnixTimeMilliseconds())).ToArray(),
            a.BytesFromClient, a.PacketsFromClient, a.BytesToClient, a.PacketsToClient, session.BitsPerSecondIn, session.BitsPerSecondOut);
    }

    /// <summary>A peer's allocations as live sessions carrying its name (a malformed row is skipped, never the whole node).</summary>
    public static List<LiveSession> FromWire(NodeSnapshotWire wire)
    {
        var sessions = new List<LiveSession>(wire.Allocations.Count);
        foreach (var a in wire.Allocations)
        {
            if (!IPEndPoint.TryParse(a.Client, out var client) || !IPEndPoint.TryParse(a.Relayed, out var relayed)) continue;
            var transport = Enum.IsDefined((RelayTransport)a.Transport) ? (RelayTransport)a.Transport : RelayTransport.Udp;
            var allocation = new AllocationSnapshot(a.Id, a.User, a.Realm, client, transport, relayed,
                DateTimeOffset.FromUnixTimeMilliseconds(a.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(a.ExpiresMs),
                a.Permissions is { } permissions ? ToPermissions(permissions) : [],
                a.Channels is { } channels ? ToChannels(channels) : [],
                a.BytesFromClient, a.PacketsFromClient, a.BytesToClient, a.PacketsToClient);
            sessions.Add(new LiveSession(allocation, $"{a.Client} ({LiveRelayFeed.Transport(transport)})", a.Relayed, a.BitsPerSecondIn, a.BitsPerSecondOut, wire.Node));
        }
        return sessions;
    }

    private static PermissionSnapshot[] ToPermissions(IReadOnlyList<PermissionWire> wire)
    {
        var list = new List<PermissionSnapshot>(wire.Count);
        foreach (var p in wire)
            if (IPAddress.TryParse(p.Peer, out var peer)) list.Add(new PermissionSnapshot(peer, DateTimeOffset.FromUnixTimeMilliseconds(p.ExpiresMs)));
        return [.. list];
    }

    private static ChannelSnapshot[] ToChannels(IReadOnlyList<ChannelWire> wire)
    {
        var list = new List<ChannelSnapshot>(wire.Count);
        foreach (var c in wire)
            if (IPEndPoint.TryParse(c.Peer, out var peer)) list.Add(new ChannelSnapshot((ushort)c.Number, peer, DateTimeOffset.FromUnixTimeMilliseconds(c.ExpiresMs)));
        return [.. list];
    }
}
