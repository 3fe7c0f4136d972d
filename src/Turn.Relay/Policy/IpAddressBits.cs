using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Turn.Relay.Policy;

/// <summary>
/// An IP address as a 128-bit number plus its family, so range checks are two integer compares.
/// IPv4 addresses occupy the low 32 bits. Built without allocating.
/// </summary>
internal readonly record struct IpAddressBits(bool IsIPv4, UInt128 Value)
{
    private static readonly UInt128 Low32Mask = uint.MaxValue;

    public static IpAddressBits From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("The address could not be read.", nameof(address));
        }

        return written == 4
            ? new IpAddressBits(true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : new IpAddressBits(false, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    public static IpAddressBits FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => new IpAddressBits(true, BinaryPrimitives.ReadUInt32BigEndian(bytes)),
        16 => new IpAddressBits(false, BinaryPrimitives.ReadUInt128BigEndian(bytes)),
        _ => throw new ArgumentException("An IP address is 4 or 16 bytes.", nameof(bytes)),
    };

    public AddressFamily Family => IsIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    /// <summary>True for ::ffff:a.b.c.d (RFC 4291 section 2.5.5.2).</summary>
    public bool IsIPv4Mapped => !IsIPv4 && (Value >> 32) == 0xFFFF;

    /// <summary>
    /// True for the deprecated IPv4-compatible form ::a.b.c.d (RFC 4291 section 2.5.5.1), except ::
    /// and ::1, which are IPv6's own unspecified and loopback addresses.
    /// </summary>
    public bool IsIPv4Compatible => !IsIPv4 && (Value >> 32) == 0 && Value > 1;

    /// <summary>
    /// The address a peer check must look at: IPv4-mapped and IPv4-compatible IPv6 addresses reach
    /// the embedded IPv4 address on a dual-stack socket, and an address in NAT64's well-known prefix
    /// 64:ff9b::/96 reaches it through a NAT64 gateway, so they are judged as that address.
    /// (The local-use block 64:ff9b:1::/48 has several readings: see <see cref="Nat64Address"/>.)
    /// </summary>
    public IpAddressBits Canonical() =>
        IsIPv4Mapped || IsIPv4Compatible || Nat64Address.IsWellKnown(this) ? new IpAddressBits(true, Value & Low32Mask) : this;

    public IPAddress ToIPAddress()
    {
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, Value);
        return new IPAddress(v6);
    }
}
