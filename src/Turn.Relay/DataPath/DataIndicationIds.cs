using System.Security.Cryptography;
using Turn.Protocol;

namespace Turn.Relay.DataPath;

/// <summary>
/// Transaction ids for Data indications, one per relayed packet: drawn from a per-thread buffer of
/// cryptographic random bytes refilled 4 KB at a time, so a packet costs a copy, not a call into
/// the random source. Per-thread, so no lock; each receive thread has its own buffer.
/// </summary>
internal static class DataIndicationIds
{
    private const int BufferSize = 4_092; // 341 ids of 12 bytes

    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_used;

    public static TransactionId Next()
    {
        var random = t_random;
        if (random is null || t_used == BufferSize)
        {
            random = t_random ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }
        var id = new TransactionId(random.AsSpan(t_used, TransactionId.Length));
        t_used += TransactionId.Length;
        return id;
    }
}
