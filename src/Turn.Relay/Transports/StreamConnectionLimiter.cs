using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Turn.Relay.Transports;

/// <summary>
/// Counts the relay's open TCP/TLS connections from accept to close (TLS handshakes included), across
/// every stream listener, against Relay:MaxStreamConnections and, per client address,
/// Relay:MaxStreamConnectionsPerAddress. An IPv6 client is counted per /64: one host usually holds a
/// whole /64, so counting single addresses would give it billions of slots. Accepting is not the hot
/// path: one short lock per accept and per close keeps both counts exact.
/// </summary>
internal sealed class StreamConnectionLimiter(int maxConnections, int maxPerAddress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(ulong Prefix, bool V6), int> _perAddress = [];
    private int _total;

    /// <summary>Open connections (handshakes included).</summary>
    public int Count => Volatile.Read(ref _total);

    public int MaxConnections => maxConnections;

    public int MaxPerAddress => maxPerAddress;

    /// <summary>Takes a slot for a connection from <paramref name="remote"/>; <see cref="Release"/> it when the connection ends.</summary>
    public StreamConnectionAdmission TryAcquire(IPAddress remote)
    {
        var key = KeyOf(remote);
        lock (_lock)
        {
            if (_total >= maxConnections) return StreamConnectionAdmission.ServerLimit;
            _perAddress.TryGetValue(key, out var count);
            if (count >= maxPerAddress) return StreamConnectionAdmission.AddressLimit;
            _perAddress[key] = count + 1;
            _total++;
            return StreamConnectionAdmission.Admitted;
        }
    }

    public void Release(IPAddress remote)
    {
        var key = KeyOf(remote);
        lock (_lock)
        {
            if (!_perAddress.TryGetValue(key, out var count)) return;
            if (count <= 1) _perAddress.Remove(key);
            else _perAddress[key] = count - 1;
            _total--;
        }
    }

    private static (ulong Prefix, bool V6) KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? (BinaryPrimitives.ReadUInt64BigEndian(bytes), true)
            : (BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]), false);
    }
}
