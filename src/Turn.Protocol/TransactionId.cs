using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Turn.Protocol;

/// <summary>
/// The 96-bit STUN transaction id (RFC 8489 section 5) as a value: usable as a dictionary key
/// (e.g. a response cache) without allocating. <see cref="NewRandom"/> draws it from a
/// cryptographic random source, as section 5 asks.
/// </summary>
public readonly struct TransactionId : IEquatable<TransactionId>
{
    public const int Length = StunConstants.TransactionIdLength;

    private readonly ulong _high;
    private readonly uint _low;

    /// <summary>Reads the first 12 bytes of <paramref name="bytes"/>.</summary>
    public TransactionId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length) throw new ArgumentException("A transaction id is 12 bytes.", nameof(bytes));
        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _low = BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]);
    }

    /// <summary>A fresh id from <see cref="RandomNumberGenerator"/>.</summary>
    public static TransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return new TransactionId(bytes);
    }

    /// <summary>Writes the 12 bytes, big-endian as on the wire.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length) throw new ArgumentException("A transaction id is 12 bytes.", nameof(destination));
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _low);
    }

    public bool Equals(TransactionId other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is TransactionId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public static bool operator ==(TransactionId left, TransactionId right) => left.Equals(right);

    public static bool operator !=(TransactionId left, TransactionId right) => !left.Equals(right);

    /// <summary>24 lowercase hex digits.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
