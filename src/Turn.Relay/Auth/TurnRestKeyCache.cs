using System.Collections.Concurrent;
using Turn.Protocol;

namespace Turn.Relay.Auth;

/// <summary>
/// TURN REST long-term keys already derived, per (shared secret, user name, realm offered). A key is a pure function of
/// the three (<see cref="TurnRestCredential.ComputeLongTermKey"/>: HMAC-SHA1, base64, MD5, about 2.3 µs and 500 bytes
/// allocated each), and every authenticated request of a session needs it again, once per secret of the realm. A secret
/// removed is no longer asked for, so its entries only wait for the next clearing. Bounded: past
/// <see cref="Capacity"/> entries the cache starts over, so names that are never seen twice (a scan with valid nonces)
/// cost what they cost without it, and no more memory.
/// </summary>
internal sealed class TurnRestKeyCache
{
    /// <summary>Entries kept at most (each under 200 bytes with its user name).</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<(string Secret, string Username, string Realm), byte[]> _keys = new();
    private int _count;

    /// <summary>The key for <paramref name="secret"/>, <paramref name="username"/> and <paramref name="realm"/>; the caller must not change it.</summary>
    public byte[] Get(string secret, string username, string realm)
    {
        var id = (secret, username, realm);
        if (_keys.TryGetValue(id, out var key)) return key;
        key = TurnRestCredential.ComputeLongTermKey(secret, username, realm);
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            // Not exact under races (a few entries more or less), which the bound does not need.
            _keys.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        _keys[id] = key;
        return key;
    }

    /// <summary>Entries held now (tests).</summary>
    internal int Count => _keys.Count;
}
