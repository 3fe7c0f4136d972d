using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Allocations;
using Turn.Relay.Auth;
using Turn.Relay.Diagnostics;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Engine;

internal sealed partial class RelayEngine
{
    // RFC 8656 section 7.2, the server's steps for an authenticated Allocate request.
    private void HandleAllocate(RequestContext context, in StunMessageReader request)
    {
        var fiveTuple = context.Connection.Key;
        // 2. The 5-tuple already has an allocation: 437, unless this is a retransmission of the
        //    request that made it (its response may have been lost and the cache entry expired).
        if (_byFiveTuple.TryGetValue(fiveTuple, out var existing))
        {
            if (existing.CreatedBy == context.TransactionId && !existing.IsDeleted) SendAllocateSuccess(context, existing, existing.GrantedLifetimeSeconds);
            else SendError(context, 437, "Allocation Mismatch", withIntegrity: true);
            return;
        }
        // 3. REQUESTED-TRANSPORT: required, and UDP is the only relayed transport we offer.
        if (!request.TryGetAttribute(StunAttributeType.RequestedTransport, out var transport)
            || !transport.TryReadRequestedTransport(out var protocol))
        {
            SendError(context, 400, "REQUESTED-TRANSPORT missing or malformed", withIntegrity: true);
            return;
        }
        if (protocol != 17)
        {
            SendError(context, 442, "Unsupported Transport Protocol", withIntegrity: true);
            return;
        }
        // 4. DONT-FRAGMENT: accepted; DF is set on IPv4 relay sockets where the OS allows it
        //    (IPv6 routers never fragment, so it holds there by nature).
        var dontFragment = request.Contains(StunAttributeType.DontFragment);

        var hasToken = request.TryGetAttribute(StunAttributeType.ReservationToken, out var tokenAttribute);
        var hasEvenPort = request.TryGetAttribute(StunAttributeType.EvenPort, out var evenPortAttribute);
        var hasFamily = request.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var familyAttribute);
        var hasAdditional = request.TryGetAttribute(StunAttributeType.AdditionalAddressFamily, out var additionalAttribute);
        // 5. RESERVATION-TOKEN excludes EVEN-PORT and REQUESTED-ADDRESS-FAMILY.
        if (hasToken && (hasEvenPort || hasFamily || hasAdditional))
        {
            SendError(context, 400, "RESERVATION-TOKEN with EVEN-PORT or an address family", withIntegrity: true);
            return;
        }
        if (hasFamily && hasAdditional)
        {
            SendError(context, 400, "REQUESTED-ADDRESS-FAMILY with ADDITIONAL-ADDRESS-FAMILY", withIntegrity: true);
            return;
        }
        ulong token = 0;
        if (hasToken && !tokenAttribute.TryReadReservationToken(out token))
        {
            SendError(context, 400, "Malformed RESERVATION-TOKEN", withIntegrity: true);
            return;
        }
        var reserveNext = false;
        if (hasEvenPort && !evenPortAttribute.TryReadEvenPort(out reserveNext))
        {
            SendError(context, 400, "Malformed EVEN-PORT", withIntegrity: true);
            return;
        }
        // 7. REQUESTED-ADDRESS-FAMILY: IPv4 (the default) or IPv6, else 440.
        var family = StunAddressFamily.IPv4;
        if (hasFamily && (!familyAttribute.TryReadAddressFamily(out family) || family is not (StunAddressFamily.IPv4 or StunAddressFamily.IPv6)))
        {
            SendError(context, 440, "Address Family not Supported", withIntegrity: true);
            return;
        }
        // ADDITIONAL-ADDRESS-FAMILY (dual allocation) may only ask for IPv6; we relay one family
        // per allocation, so the IPv6 part is refused in ADDRESS-ERROR-CODE (RFC 8656 section 7.2).
        if (hasAdditional && (!additionalAttribute.TryReadAddressFamily(out var additional) || additional != StunAddressFamily.IPv6))
        {
            SendError(context, 400, "ADDITIONAL-ADDRESS-FAMILY must be IPv6", withIntegrity: true);
            return;
        }

        if (Volatile.Read(ref _draining) != 0)
        {
            _metrics.RecordQuotaRejection(508, QuotaRejectionReason.Draining);
            Raise(RelayEventKind.QuotaRejected, null, context, "Server draining");
            SendError(context, 508, "Server draining", withIntegrity: true);
            return;
        }

        TransportAddress bind = default, advertised = default;
        if (!hasToken && !TryPlanRelay(family, context.Connection, out bind, out advertised))
        {
            SendError(context, 440, "Address Family not Supported", withIntegrity: true);
            return;
        }

        var lifetime = DesiredLifetime(request);
        var userQuota = context.RealmPolicy.UserQuota ?? context.GlobalPolicy.UserQuota ?? _options.UserQuota;
        var totalQuota = context.RealmPolicy.TotalQuota ?? context.GlobalPolicy.TotalQuota ?? _options.TotalQuota;
        var maxBps = context.RealmPolicy.MaxBitsPerSecond ?? context.GlobalPolicy.MaxBitsPerSecond ?? _options.MaxBitsPerSecond;

        // Outside the lock: which secret signed a TURN REST credential, so deleting it can end this allocation.
        var signingSecretSha256 = context.SigningSecret is { } secret ? SecretFingerprint.Sha256Hex(secret) : null;
        var error = 0;
        string? reason = null;
        var rejection = QuotaRejectionReason.UserQuota;
        Allocation? allocation = null;
        IRelaySocket? reserved = null;
        lock (_allocationLock)
        {
            var userKey = (context.Realm, context.Username);
            if (_byFiveTuple.ContainsKey(fiveTuple))
            {
                (error, reason) = (437, "Allocation Mismatch");
            }
            else if (userQuota > 0 && _perUser.GetValueOrDefault(userKey) >= userQuota)
            {
                (error, reason, rejection) = (486, "Allocation Quota Reached", QuotaRejectionReason.UserQuota);
            }
            else if (totalQuota > 0 && _perRealm.GetValueOrDefault(context.Realm) >= totalQuota)
            {
                (error, reason, rejection) = (508, "Insufficient Capacity", QuotaRejectionReason.TotalQuota);
            }
            else if (_options.MaxAllocations > 0 && _byFiveTuple.Count >= _options.MaxAllocations)
            {
                (error, reason, rejection) = (508, "Insufficient Capacity", QuotaRejectionReason.ServerCapacity);
            }
            else
            {
                IRelaySocket? socket;
                if (hasToken)
                {
                    // 5. A token names a port reserved by an earlier EVEN-PORT R=1; unknown or expired: 508.
                    socket = _reservations.TryRemove(token, out var reservation) ? reservation.Socket : null;
                    if (socket is not null)
                    {
                        advertised = Advertise(socket.LocalAddress);
                    }
                }
                else if (!_ports.TryAllocate(bind, hasEvenPort, reserveNext, out socket, out reserved))
                {
                    socket = null;
                }
                if (socket is null)
                {
                    (error, reason, rejection) = hasToken
                        ? (508, "Unknown or expired RESERVATION-TOKEN", QuotaRejectionReason.ReservationToken)
                        : (508, "No relay port available", QuotaRejectionReason.RelayPorts);
                }
                else
                {
                    var now = _time.GetTimestamp();
                    var relayed = advertised.WithPort(socket.LocalAddress.Port);
                    allocation = new Allocation(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), context.Connection,
                        context.Username, context.Realm, context.Key!, socket, relayed, _time.GetUtcNow(),
                        now + Ticks(lifetime), context.TransactionId)
                    {
                        GrantedLifetimeSeconds = (uint)lifetime.TotalSeconds,
                        SigningSecretSha256 = signingSecretSha256,
                    };
                    if (maxBps > 0)
                    {
                        allocation.ToPeerLimit = new TokenBucket(maxBps, now, _time.TimestampFrequency);
                        allocation.ToClientLimit = new TokenBucket(maxBps, now, _time.TimestampFrequency);
                    }
                    if (reserved is not null)
                    {
                        var reservationToken = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
                        _reservations[reservationToken] = new Reservation(reservationToken, reserved, now + Ticks(RelayLifetimes.Reservation));
                        allocation.ReservationToken = reservationToken;
                    }
                    _byFiveTuple[fiveTuple] = allocation;
                    _byId[allocation.Id] = allocation;
                    _perUser[userKey] = _perUser.GetValueOrDefault(userKey) + 1;
                    _perRealm[context.Realm] = _perRealm.GetValueOrDefault(context.Realm) + 1;
                }
            }
        }
        if (allocation is null)
        {
            if (error is 486 or 508)
            {
                _metrics.RecordQuotaRejection(error, rejection);
                Raise(RelayEventKind.QuotaRejected, null, context, reason);
            }
            SendError(context, error, reason!, withIntegrity: true);
            return;
        }
        if (dontFragment) allocation.Socket.TrySetDontFragment(true);
        allocation.Socket.Start(new PeerReceiver(this, allocation));
        Interlocked.Increment(ref _stateVersion);
        LogAllocationCreated(_logger, allocation.Id, allocation.Username, allocation.Client.Remote.ToString(), allocation.RelayedAddress.ToString());
        Raise(RelayEventKind.AllocationCreated, allocation, context, null);
        SendAllocateSuccess(context, allocation, allocation.GrantedLifetimeSeconds, hasAdditional);
    }

    private void SendAllocateSuccess(RequestContext context, Allocation allocation, uint lifetimeSeconds, bool refuseAdditional = false)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            var writer = StartResponse(buffer, context, StunClass.SuccessResponse);
            writer.WriteXorAddress(StunAttributeType.XorRelayedAddress, allocation.RelayedAddress);
            writer.WriteLifetime(lifetimeSeconds);
            if (allocation.ReservationToken != 0) writer.WriteReservationToken(allocation.ReservationToken);
            writer.WriteXorAddress(StunAttributeType.XorMappedAddress, context.Connection.Remote);
            if (refuseAdditional) writer.WriteAddressErrorCode(StunAddressFamily.IPv6, 440, "Address Family not Supported");
            Finish(ref writer, context, withIntegrity: true, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // RFC 8656 sections 7.2 and 8: min(requested, max), but never below the default.
    private static TimeSpan DesiredLifetime(in StunMessageReader request)
    {
        if (!request.TryGetUInt32(StunAttributeType.Lifetime, out var seconds)) return RelayLifetimes.DefaultAllocation;
        var requested = TimeSpan.FromSeconds(Math.Min(seconds, RelayLifetimes.MaxAllocation.TotalSeconds));
        return requested > RelayLifetimes.DefaultAllocation ? requested : RelayLifetimes.DefaultAllocation;
    }

    // Where to bind the relay socket and which address to advertise, for a family; false when the
    // server has no address of that family.
    private bool TryPlanRelay(StunAddressFamily family, ClientConnection client, out TransportAddress bind, out TransportAddress advertised)
    {
        var configured = family == StunAddressFamily.IPv4 ? _relayV4 : _relayV6;
        var otherConfigured = family == StunAddressFamily.IPv4 ? _relayV6 : _relayV4;
        if (configured is { } relay)
        {
            bind = relay;
        }
        else if (otherConfigured is not null)
        {
            // Relay:RelayAddress names the one family this server relays.
            bind = advertised = default;
            return false;
        }
        else if (client.Local.Family == family && !IsUnspecified(client.Local))
        {
            bind = client.Local.WithPort(0);
        }
        else if ((family == StunAddressFamily.IPv4 ? HostIPv4 : HostIPv6) is { } host)
        {
            bind = host;
        }
        else
        {
            bind = advertised = default;
            return false;
        }
        advertised = Advertise(bind);
        return true;
    }

    private TransportAddress Advertise(in TransportAddress local)
    {
        var external = local.IsIPv4 ? _externalV4 : _externalV6;
        return external is { } e ? e.WithPort(local.Port) : local;
    }

    private static bool IsUnspecified(in TransportAddress address) => address.Address == UInt128.Zero;

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Allocation {Id} for {User} from {Client} relays on {Relayed}")]
    private static partial void LogAllocationCreated(ILogger logger, string id, string user, string client, string relayed);
}
