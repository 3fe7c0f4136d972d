using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Turn.Protocol;

/// <summary>
/// An IP address and port as a small immutable value: family, 128 address bits and port.
/// Equality and hashing make it a dictionary key (five-tuples, permissions) without allocating;
/// it converts to and from <see cref="IPEndPoint"/> and <see cref="SocketAddress"/>.
/// IPv4 addresses live in the low 32 bits of <see cref="Address"/>, in network order
/// (so 192.0.2.1 is 0xC0000201). IPv6 addresses are the 16 bytes read big-endian.
/// </summary>
/// <remarks>
/// The bits are kept as two 64-bit halves (<see cref="AddressHigh"/>, <see cref="AddressLow"/>), not a
/// <see cref="UInt128"/>: ReadyToRun does not precompile code whose layout depends on UInt128, and this struct is in
/// nearly every method of the relay's request path, so a UInt128 field left all of them to the JIT at the first
/// sessions (issue 17). Code on that path uses the halves; <see cref="Address"/> is for the rest.
/// </remarks>
/// <remarks>
/// Peers may hide an IPv4 address inside IPv6 (::ffff:a.b.c.d, or the deprecated ::a.b.c.d).
/// <see cref="Canonicalize"/> turns both into plain IPv4, so policy checks see the real address.
/// </remarks>
public readonly struct TransportAddress : IEquatable<TransportAddress>
{
    public const int IPv4Length = 4;
    public const int IPv6Length = 16;

    private readonly ulong _high;
    private readonly ulong _low;

    public TransportAddress(StunAddressFamily family, UInt128 address, ushort port)
        : this(family, (ulong)(address >> 64), (ulong)address, port)
    {
    }

    private TransportAddress(StunAddressFamily family, ulong high, ulong low, ushort port)
    {
        if (family == StunAddressFamily.IPv4 && (high != 0 || low > uint.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(low), "An IPv4 address has 32 bits.");
        if (family is not (StunAddressFamily.IPv4 or StunAddressFamily.IPv6))
            throw new ArgumentOutOfRangeException(nameof(family));
        Family = family;
        _high = high;
        _low = low;
        Port = port;
    }

    public StunAddressFamily Family { get; }

    /// <summary>The address bits, big-endian: IPv4 in the low 32 bits.</summary>
    public UInt128 Address => new(_high, _low);

    /// <summary>The first 8 bytes of an IPv6 address, big-endian; 0 for IPv4.</summary>
    public ulong AddressHigh => _high;

    /// <summary>The last 8 bytes of an IPv6 address, big-endian; an IPv4 address in the low 32 bits.</summary>
    public ulong AddressLow => _low;

    /// <summary>True for the all-zero address (0.0.0.0, ::) and the default value.</summary>
    public bool IsUnspecifiedAddress => (_high | _low) == 0;

    public ushort Port { get; }

    public bool IsIPv4 => Family == StunAddressFamily.IPv4;

    public bool IsIPv6 => Family == StunAddressFamily.IPv6;

    /// <summary>4 for IPv4, 16 for IPv6, 0 for the default value.</summary>
    public int AddressLength => Family switch
    {
        StunAddressFamily.IPv4 => IPv4Length,
        StunAddressFamily.IPv6 => IPv6Length,
        _ => 0,
    };

    /// <summary>True for ::ffff:a.b.c.d.</summary>
    public bool IsIPv4Mapped => IsIPv6 && _high == 0 && (_low >> 32) == 0xFFFF;

    /// <summary>
    /// True for the deprecated IPv4-compatible form ::a.b.c.d. The unspecified address (::) and
    /// loopback (::1) share the prefix but are IPv6 addresses of their own, so they are excluded.
    /// </summary>
    public bool IsIPv4Compatible => IsIPv6 && _high == 0 && (_low >> 32) == 0 && _low > 1;

    public static TransportAddress FromIPv4(uint address, ushort port) => new(StunAddressFamily.IPv4, 0, address, port);

    /// <summary>From the two big-endian halves of an IPv6 address.</summary>
    public static TransportAddress FromIPv6(ulong high, ulong low, ushort port) => new(StunAddressFamily.IPv6, high, low, port);

    /// <summary>From 16 IPv6 address bytes in network order.</summary>
    public static TransportAddress FromIPv6Bytes(ReadOnlySpan<byte> address, ushort port) =>
        new(StunAddressFamily.IPv6, BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), port);

    /// <summary>From 4 (IPv4) or 16 (IPv6) address bytes in network order.</summary>
    public static TransportAddress FromBytes(ReadOnlySpan<byte> address, ushort port) => address.Length switch
    {
        IPv4Length => FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(address), port),
        IPv6Length => FromIPv6Bytes(address, port),
        _ => throw new ArgumentException("An address has 4 or 16 bytes.", nameof(address)),
    };

    public static TransportAddress FromIPAddress(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[IPv6Length];
        if (!address.TryWriteBytes(bytes, out int written))
            throw new ArgumentException("The address could not be written.", nameof(address));
        return FromBytes(bytes[..written], port);
    }

    public static TransportAddress FromIPEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return FromIPAddress(endPoint.Address, (ushort)endPoint.Port);
    }

    /// <summary>Parses "192.0.2.1:3478" or "[2001:db8::1]:3478".</summary>
    public static bool TryParse(string? text, out TransportAddress address)
    {
        address = default;
        if (text is null || !IPEndPoint.TryParse(text, out IPEndPoint? endPoint)) return false;
        address = FromIPEndPoint(endPoint);
        return true;
    }

    /// <summary>
    /// Reads an AF_INET or AF_INET6 socket address (as filled by Socket.ReceiveFromAsync) without
    /// allocating. Port and address sit at the same offsets on every platform: port at 2,
    /// IPv4 at 4, IPv6 at 8.
    /// </summary>
    public static bool TryFromSocketAddress(SocketAddress socketAddress, out TransportAddress address)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);
        address = default;
        ReadOnlySpan<byte> buffer = socketAddress.Buffer.Span[..socketAddress.Size];
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when buffer.Length >= 8:
                address = FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]), BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]));
                return true;
            case AddressFamily.InterNetworkV6 when buffer.Length >= 24:
                address = FromIPv6Bytes(buffer[8..], BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Writes port and address into a socket address of the same family (e.g. one kept per
    /// socket for SendToAsync), without allocating. False when the families differ.
    /// </summary>
    public bool TryWriteTo(SocketAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> buffer = destination.Buffer.Span[..destination.Size];
        switch (destination.Family)
        {
            case AddressFamily.InterNetwork when IsIPv4 && buffer.Length >= 8:
                BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], Port);
                BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], (uint)_low);
                return true;
            case AddressFamily.InterNetworkV6 when IsIPv6 && buffer.Length >= 24:
                BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], Port);
                buffer.Slice(4, 4).Clear(); // flow info
                WriteIPv6Bytes(buffer[8..]);
                if (buffer.Length >= 28) buffer.Slice(24, 4).Clear(); // scope id
                return true;
            default:
                return false;
        }
    }

    /// <summary>A new socket address for this address (allocates; for set-up, not per packet).</summary>
    public SocketAddress ToSocketAddress()
    {
        var socketAddress = new SocketAddress(IsIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);
        if (!TryWriteTo(socketAddress)) throw new InvalidOperationException("The default TransportAddress has no socket address.");
        return socketAddress;
    }

    /// <summary>Writes the 4 or 16 address bytes in network order; returns how many.</summary>
    public int WriteAddressBytes(Span<byte> destination)
    {
        switch (Family)
        {
            case StunAddressFamily.IPv4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_low);
                return IPv4Length;
            case StunAddressFamily.IPv6:
                WriteIPv6Bytes(destination);
                return IPv6Length;
            default:
                return 0;
        }
    }

    private void WriteIPv6Bytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[IPv6Length];
        int length = WriteAddressBytes(bytes);
        if (length == 0) throw new InvalidOperationException("The default TransportAddress has no IP address.");
        return new IPAddress(bytes[..length]);
    }

    public IPEndPoint ToIPEndPoint() => new(ToIPAddress(), Port);

    /// <summary>
    /// IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) IPv6 addresses become the
    /// IPv4 address they carry; anything else is returned unchanged.
    /// </summary>
    public TransportAddress Canonicalize() =>
        IsIPv4Mapped || IsIPv4Compatible ? FromIPv4((uint)_low, Port) : this;

    public TransportAddress WithPort(ushort port) => Family == StunAddressFamily.None ? this : new(Family, _high, _low, port);

    /// <summary>Same family and address bits, whatever the ports.</summary>
    public bool SameAddress(in TransportAddress other) => Family == other.Family && _high == other._high && _low == other._low;

    public bool Equals(TransportAddress other) =>
        Family == other.Family && Port == other.Port && _low == other._low && _high == other._high;

    public override bool Equals(object? obj) => obj is TransportAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Family, _high, _low, Port);

    public static bool operator ==(TransportAddress left, TransportAddress right) => left.Equals(right);

    public static bool operator !=(TransportAddress left, TransportAddress right) => !left.Equals(right);

    /// <summary>"192.0.2.1:3478", "[2001:db8::1]:3478", or "(none)" for the default value.</summary>
    public override string ToString() =>
        Family == StunAddressFamily.None ? "(none)" : ToIPEndPoint().ToString();
}
