using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol;

/// <summary>
/// USERHASH (RFC 8489 section 14.4): SHA-256(username ":" realm), 32 bytes, sent instead of
/// USERNAME by clients that hide the name. A server finds the user by comparing this hash.
/// </summary>
public static class UserHash
{
    public const int Length = 32;

    public static byte[] Compute(string username, string realm)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}"));
    }

    /// <summary>Allocation-free form over UTF-8 bytes; destination holds at least 32 bytes.</summary>
    public static void Compute(ReadOnlySpan<byte> usernameUtf8, ReadOnlySpan<byte> realmUtf8, Span<byte> destination)
    {
        if (destination.Length < Length) throw new ArgumentException("USERHASH is 32 bytes.", nameof(destination));
        int length = usernameUtf8.Length + 1 + realmUtf8.Length;
        byte[]? rented = null;
        Span<byte> input = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            usernameUtf8.CopyTo(input);
            input[usernameUtf8.Length] = (byte)':';
            realmUtf8.CopyTo(input[(usernameUtf8.Length + 1)..]);
            SHA256.HashData(input[..length], destination);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
