using System.Security.Cryptography;
using Turn.Protocol;
using Turn.Relay.Transports;

namespace Turn.Relay.Allocations;

/// <summary>
/// Hands out relay ports from MinPort..MaxPort (RFC 8656 section 7.2): a random starting point,
/// never a port already in use by an allocation or a reservation, and a port the OS refuses is
/// skipped, and not tried again for <see cref="RefusedPortRetry"/>. Control path only, so a lock is fine.
/// </summary>
internal sealed class PortAllocator
{
    /// <summary>
    /// How long a port the OS refused (another program's socket holds it) is left alone. Without this memory every
    /// allocation's search tried again every such port on its way, and each refusal costs a thrown exception: 15,372
    /// of them in a burst of 8,000 sessions on a host whose own clients held ports of the range (docs/PERFORMANCE.md).
    /// </summary>
    internal static readonly TimeSpan RefusedPortRetry = TimeSpan.FromSeconds(10);

    private readonly int _min;
    private readonly int _max;
    private readonly bool[] _inUse = new bool[65536];
    // Per port of the range: until when (seconds since _start, plus one; 0 = never refused) it is not tried.
    private readonly int[] _refusedUntil;
    private readonly Lock _lock = new();
    private readonly IRelaySocketFactory _factory;
    private readonly TimeProvider _time;
    private readonly long _start;

    public PortAllocator(int min, int max, IRelaySocketFactory factory, TimeProvider? time = null)
    {
        _min = min;
        _max = max;
        _factory = factory;
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
        _refusedUntil = new int[Math.Max(0, max - min + 1)];
    }

    public int InUseCount { get; private set; }

    /// <summary>
    /// True when every port of the range is held (an allocation or a reservation holds one each). Read without the
    /// lock, so it may lag by a request: a hint for redirecting early, never the refusal itself.
    /// </summary>
    public bool IsExhausted => InUseCount >= _max - _min + 1;

    /// <summary>Binds a socket on a free port (even when asked, and with port+1 also bound when <paramref name="pair"/>).</summary>
    public bool TryAllocate(in TransportAddress bindAddress, bool even, bool pair, out IRelaySocket? socket, out IRelaySocket? next)
    {
        socket = null;
        next = null;
        var count = _max - _min + 1;
        var start = RandomNumberGenerator.GetInt32(count);
        var now = (int)_time.GetElapsedTime(_start).TotalSeconds + 1;
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                var port = _min + (start + i) % count;
                if (even && port % 2 != 0) continue;
                if (_inUse[port]) continue;
                if (pair && (port + 1 > _max || _inUse[port + 1])) continue;
                if (_refusedUntil[port - _min] > now || (pair && _refusedUntil[port + 1 - _min] > now)) continue;
                var first = _factory.TryBind(bindAddress.WithPort((ushort)port));
                if (first is null)
                {
                    _refusedUntil[port - _min] = now + (int)RefusedPortRetry.TotalSeconds;
                    continue;
                }
                if (pair)
                {
                    var second = _factory.TryBind(bindAddress.WithPort((ushort)(port + 1)));
                    if (second is null)
                    {
                        _refusedUntil[port + 1 - _min] = now + (int)RefusedPortRetry.TotalSeconds;
                        first.Dispose();
                        continue;
                    }
                    _inUse[port + 1] = true;
                    InUseCount++;
                    next = second;
                }
                _inUse[port] = true;
                InUseCount++;
                socket = first;
                return true;
            }
        }
        return false;
    }

    /// <summary>True while an allocation or a reservation holds the port. Reads without the lock (a bool is read whole).</summary>
    public bool IsInUse(int port) => port is >= 0 and < 65536 && Volatile.Read(ref _inUse[port]);

    /// <summary>Closes the socket and frees its port.</summary>
    public void Release(IRelaySocket socket)
    {
        var port = socket.LocalAddress.Port;
        socket.Dispose();
        lock (_lock)
        {
            if (!_inUse[port]) return;
            _inUse[port] = false;
            InUseCount--;
        }
    }
}
