using System.Buffers.Binary;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Mutates valid captured messages the ways a fuzzer or a broken client does: bit flips (anywhere, or in the
/// header), truncation, an attribute's or the message's length lying, a duplicated attribute, FINGERPRINT removed
/// (so MESSAGE-INTEGRITY still holds and the request reaches its handler), junk appended, an attribute type changed.
/// Deterministic for a seed, so a failure can be replayed.
/// </summary>
internal sealed class RequestMutator(int seed)
{
    private const int HeaderLength = 20;
    private const ushort FingerprintType = 0x8028;

    private readonly Random _random = new(seed);

    public int Seed => seed;

    public byte[] Mutate(byte[] original)
    {
        var attributes = Attributes(original);
        return _random.Next(9) switch
        {
            0 => FlipBits(original, 0, original.Length),
            1 => FlipBits(original, 0, Math.Min(HeaderLength, original.Length)),
            2 => original[.._random.Next(original.Length)],
            3 when attributes.Count > 0 => LieAboutAttributeLength(original, attributes[_random.Next(attributes.Count)]),
            4 when original.Length >= HeaderLength => LieAboutMessageLength(original),
            5 when attributes.Count > 0 => Duplicate(original, attributes[_random.Next(attributes.Count)]),
            6 when attributes.Count > 0 && Type(original, attributes[^1]) == FingerprintType => WithLength(original[..attributes[^1]], attributes[^1]),
            7 => [.. original, .. RandomBytes(_random.Next(1, 64))],
            8 when attributes.Count > 0 => ChangeType(original, attributes[_random.Next(attributes.Count)]),
            _ => FlipBits(original, 0, original.Length),
        };
    }

    private byte[] FlipBits(byte[] original, int from, int to)
    {
        var copy = original.ToArray();
        if (to <= from) return copy;
        for (int i = 0, flips = _random.Next(1, 5); i < flips; i++)
            copy[_random.Next(from, to)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    private byte[] LieAboutAttributeLength(byte[] original, int offset)
    {
        var copy = original.ToArray();
        var length = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(offset + 2));
        ushort[] lies = [0, 1, 3, (ushort)(length + 1), (ushort)(length + 4), (ushort)(copy.Length - offset), 0xFFFF, (ushort)_random.Next(65536)];
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset + 2), lies[_random.Next(lies.Length)]);
        return copy;
    }

    private byte[] LieAboutMessageLength(byte[] original)
    {
        var copy = original.ToArray();
        var body = copy.Length - HeaderLength;
        ushort[] lies = [0, (ushort)(body + 4), (ushort)Math.Max(0, body - 4), (ushort)(body + 1), 0xFFFC, (ushort)_random.Next(65536)];
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), lies[_random.Next(lies.Length)]);
        return copy;
    }

    private byte[] Duplicate(byte[] original, int offset)
    {
        var end = offset + 4 + Padded(BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(offset + 2)));
        var attribute = original[offset..end];
        byte[] copy = [.. original[..end], .. attribute, .. original[end..]];
        return WithLength(copy, copy.Length);
    }

    private byte[] ChangeType(byte[] original, int offset)
    {
        var copy = original.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset), (ushort)_random.Next(65536));
        return copy;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    // The message length field set to what the bytes hold (a valid shape around the mutation).
    private static byte[] WithLength(byte[] message, int length)
    {
        if (message.Length >= HeaderLength) BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(length - HeaderLength));
        return message;
    }

    private static ushort Type(byte[] message, int offset) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));

    private static int Padded(int length) => (length + 3) & ~3;

    /// <summary>Offsets of the attributes of a well-formed STUN message (none for ChannelData or anything else).</summary>
    private static List<int> Attributes(byte[] message)
    {
        var offsets = new List<int>();
        if (message.Length < HeaderLength || (message[0] & 0xC0) != 0) return offsets;
        var offset = HeaderLength;
        while (offset + 4 <= message.Length)
        {
            var end = offset + 4 + Padded(BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 2)));
            if (end > message.Length) break;
            offsets.Add(offset);
            offset = end;
        }
        return offsets;
    }
}
