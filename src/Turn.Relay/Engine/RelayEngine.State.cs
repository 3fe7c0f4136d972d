using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;

namespace Turn.Relay.Engine;

internal sealed partial class RelayEngine
{
    private readonly Lock _subscribersLock = new();
    private Action[] _subscribers = [];
    private long _stateVersion;
    private long _notifiedVersion;

    // ---- Deletion and expiry -------------------------------------------------------------------

    private void Delete(Allocation allocation, string reason)
    {
        if (!allocation.MarkDeleted()) return;
        lock (_allocationLock)
        {
            _byFiveTuple.TryRemove(new KeyValuePair<Transports.FiveTupleKey, Allocation>(allocation.FiveTuple, allocation));
            _byId.TryRemove(allocation.Id, out _);
            var userKey = (allocation.Realm, allocation.Username);
            if (_perUser.TryGetValue(userKey, out var users))
            {
                if (users <= 1) _perUser.Remove(userKey);
                else _perUser[userKey] = users - 1;
            }
            if (_perRealm.TryGetValue(allocation.Realm, out var realms))
            {
                if (realms <= 1) _perRealm.Remove(allocation.Realm);
                else _perRealm[allocation.Realm] = realms - 1;
            }
        }
        _ports.Release(allocation.Socket);
        // Keep the deleted allocation's traffic in the totals so counters stay monotonic.
        var totals = _deletedTotals[(int)allocation.Transport];
        Interlocked.Add(ref totals.BytesToPeer, Volatile.Read(ref allocation.BytesFromClient));
        Interlocked.Add(ref totals.PacketsToPeer, Volatile.Read(ref allocation.PacketsFromClient));
        Interlocked.Add(ref totals.DroppedToPeer, Volatile.Read(ref allocation.DroppedFromClient));
        Interlocked.Add(ref totals.BytesToClient, Volatile.Read(ref allocation.BytesToClient));
        Interlocked.Add(ref totals.PacketsToClient, Volatile.Read(ref allocation.PacketsToClient));
        Interlocked.Add(ref totals.DroppedToClient, Volatile.Read(ref allocation.DroppedToClient));
        Interlocked.Increment(ref _stateVersion);
        _metrics.RecordAllocationDuration(_time.GetUtcNow() - allocation.Created, allocation.Transport);
        LogAllocationDeleted(_logger, allocation.Id, reason);
        Raise(RelayEventKind.AllocationDeleted, allocation, null, reason);
    }

    // One sweep for every expiry (RFC 8656: allocations, permissions, channels; reservations;
    // cached responses), then a throttled change notification.
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var allocation in _byId.Values)
        {
            if (now >= allocation.ExpiresAt)
            {
                Delete(allocation, "expired");
                continue;
            }
            foreach (var (key, permission) in allocation.Permissions)
            {
                if (now >= permission.ExpiresAt && allocation.Permissions.TryRemove(new(key, permission))) Interlocked.Increment(ref _stateVersion);
            }
            foreach (var (number, binding) in allocation.ChannelsByNumber)
            {
                if (now < binding.ExpiresAt + _quarantineTicks) continue;
                lock (allocation.Sync)
                {
                    if (now < binding.ExpiresAt + _quarantineTicks) continue; // refreshed meanwhile
                    allocation.ChannelsByNumber.TryRemove(new(number, binding));
                    allocation.ChannelsByPeer.TryRemove(new(binding.Peer, binding));
                }
                Interlocked.Increment(ref _stateVersion);
            }
        }
        foreach (var reservation in _reservations.Values)
        {
            if (now >= reservation.ExpiresAt && _reservations.TryRemove(new(reservation.Token, reservation))) _ports.Release(reservation.Socket);
        }
        foreach (var (key, cached) in _responses)
        {
            if (now >= cached.ExpiresAt && cached.Bytes is not null) _responses.TryRemove(new(key, cached));
        }
        Notify();
    }

    private void Notify()
    {
        var version = Interlocked.Read(ref _stateVersion);
        if (version == _notifiedVersion) return;
        _notifiedVersion = version;
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber();
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, ex);
            }
        }
    }

    // ---- IRelayState -----------------------------------------------------------------------

    public RelayStateSnapshot GetSnapshot()
    {
        var now = _time.GetTimestamp();
        var utcNow = _time.GetUtcNow();
        var list = new List<AllocationSnapshot>(_byId.Count);
        foreach (var allocation in _byId.Values)
        {
            if (allocation.IsDeleted) continue;
            var permissions = new List<PermissionSnapshot>(allocation.Permissions.Count);
            foreach (var permission in allocation.Permissions.Values)
            {
                if (now < permission.ExpiresAt) permissions.Add(new PermissionSnapshot(permission.PeerIp.ToIPAddress(), ToUtc(permission.ExpiresAt, now, utcNow)));
            }
            var channels = new List<ChannelSnapshot>(allocation.ChannelsByNumber.Count);
            foreach (var binding in allocation.ChannelsByNumber.Values)
            {
                if (now < binding.ExpiresAt) channels.Add(new ChannelSnapshot(binding.Number, binding.Peer.ToIPEndPoint(), ToUtc(binding.ExpiresAt, now, utcNow)));
            }
            list.Add(new AllocationSnapshot(
                allocation.Id, allocation.Username, allocation.Realm, allocation.Client.RemoteEndPoint, allocation.Transport,
                allocation.RelayedAddress.ToIPEndPoint(), allocation.Created, ToUtc(allocation.ExpiresAt, now, utcNow),
                permissions, channels,
                Volatile.Read(ref allocation.BytesFromClient), Volatile.Read(ref allocation.PacketsFromClient),
                Volatile.Read(ref allocation.BytesToClient), Volatile.Read(ref allocation.PacketsToClient)));
        }
        return new RelayStateSnapshot(utcNow, list);
    }

    public IDisposable Subscribe(Action onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        lock (_subscribersLock) _subscribers = [.. _subscribers, onChanged];
        return new Subscription(this, onChanged);
    }

    private void Unsubscribe(Action onChanged)
    {
        lock (_subscribersLock) _subscribers = [.. _subscribers.Where(s => s != onChanged)];
    }

    private sealed class Subscription(RelayEngine engine, Action onChanged) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) engine.Unsubscribe(onChanged);
        }
    }

    // ---- IRelayControl -----------------------------------------------------------------------

    public bool TerminateAllocation(string allocationId)
    {
        if (!_byId.TryGetValue(allocationId, out var allocation)) return false;
        Delete(allocation, "terminated");
        return true;
    }

    public int TerminateUser(string realm, string username)
    {
        var count = 0;
        foreach (var allocation in _byId.Values)
        {
            if (!string.Equals(allocation.Realm, realm, StringComparison.Ordinal)
                || !string.Equals(allocation.Username, username, StringComparison.Ordinal)) continue;
            Delete(allocation, "terminated");
            count++;
        }
        return count;
    }

    public int TerminateBySecret(string realm, string secretSha256)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(secretSha256);
        var count = 0;
        foreach (var allocation in _byId.Values)
        {
            if (allocation.SigningSecretSha256 is not { } signedBy
                || !string.Equals(allocation.Realm, realm, StringComparison.Ordinal)
                || !string.Equals(signedBy, secretSha256, StringComparison.OrdinalIgnoreCase)) continue;
            Delete(allocation, "terminated");
            count++;
        }
        return count;
    }

    public int TerminateByCredentialKind(RelayCredentialKind kind)
    {
        var count = 0;
        foreach (var allocation in _byId.Values)
        {
            var allocationKind = allocation.SigningSecretSha256 is null ? RelayCredentialKind.LongTerm : RelayCredentialKind.RestApi;
            if (allocationKind != kind) continue;
            Delete(allocation, "terminated");
            count++;
        }
        return count;
    }

    public bool Drain()
    {
        if (Interlocked.Exchange(ref _draining, 1) != 0) return false;
        LogDraining(_logger, _byId.Count);
        return true;
    }

    public bool Resume()
    {
        if (Interlocked.Exchange(ref _draining, 0) == 0) return false;
        LogResumed(_logger, _byId.Count);
        return true;
    }

    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    // ---- Metrics -------------------------------------------------------------------------------

    private RelayTotals ComputeTotals()
    {
        var totals = new RelayTransportTotals[3];
        for (var i = 0; i < totals.Length; i++)
        {
            var deleted = _deletedTotals[i];
            totals[i] = new RelayTransportTotals
            {
                BytesToPeer = Interlocked.Read(ref deleted.BytesToPeer),
                BytesToClient = Interlocked.Read(ref deleted.BytesToClient),
                PacketsToPeer = Interlocked.Read(ref deleted.PacketsToPeer),
                PacketsToClient = Interlocked.Read(ref deleted.PacketsToClient),
                DroppedToPeer = Interlocked.Read(ref deleted.DroppedToPeer),
                DroppedToClient = Interlocked.Read(ref deleted.DroppedToClient),
            };
        }
        totals[(int)RelayTransport.Udp].DroppedToPeer += Interlocked.Read(ref _droppedUnknown);
        foreach (var allocation in _byId.Values)
        {
            if (allocation.IsDeleted) continue;
            var t = totals[(int)allocation.Transport];
            t.Allocations++;
            t.Permissions += allocation.Permissions.Count;
            t.Channels += allocation.ChannelsByNumber.Count;
            t.BytesToPeer += Volatile.Read(ref allocation.BytesFromClient);
            t.PacketsToPeer += Volatile.Read(ref allocation.PacketsFromClient);
            t.DroppedToPeer += Volatile.Read(ref allocation.DroppedFromClient);
            t.BytesToClient += Volatile.Read(ref allocation.BytesToClient);
            t.PacketsToClient += Volatile.Read(ref allocation.PacketsToClient);
            t.DroppedToClient += Volatile.Read(ref allocation.DroppedToClient);
        }
        return new RelayTotals(totals);
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Allocation {Id} deleted: {Reason}")]
    private static partial void LogAllocationDeleted(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "A relay state subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Draining: new allocations are refused; {Count} allocations stay until they end")]
    private static partial void LogDraining(ILogger logger, int count);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Draining ended: new allocations are accepted again ({Count} live)")]
    private static partial void LogResumed(ILogger logger, int count);
}
