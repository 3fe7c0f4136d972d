using System.Collections.Concurrent;
using Turn.Protocol;

namespace Turn.Relay.Auth;

/// <summary>
/// TURN REST long-term keys a request has already been authenticated with, per (shared secret, user name, realm
/// offered). A key is a pure function of the three (<see cref="TurnRestCredential.ComputeLongTermKey"/>: HMAC-SHA1,
/// base64, MD5, about 2.3 µs and 500 bytes allocated each), and every authenticated request of a session needs it again,
/// once per secret of the realm. Only keys that verified a MESSAGE-INTEGRITY are kept (<see cref="Remember"/>), so
/// requests that fail authentication add nothing. A secret removed is no longer asked for, so its entries only wait for
/// the next clearing. Bounded: past <see cref="Capacity"/> entries the cache starts over.
/// </summary>
internal sealed class TurnRestKeyCache
{
    /// <summary>Entries kept at most.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<(string Secret, string Username, string Realm), byte[]> _keys = new();
    private int _count;

    /// <summary>The key for <paramref name="secret"/>, <paramref name="username"/> and <paramref name="realm"/>, kept or derived; the caller must not change it.</summary>
    public byte[] Get(string secret, string username, string realm) =>
        _keys.TryGetValue((secret, username, realm), out var key) ? key : TurnRestCredential.ComputeLongTermKey(secret, username, realm);

    /// <summary>Keeps <paramref name="key"/>, which just authenticated a request, for the same secret, user name and realm.</summary>
    public void Remember(string secret, string username, string realm, byte[] key)
    {
        if (!_keys.TryAdd((secret, username, realm), key)) return;
        if (Interlocked.Increment(ref _count) <= Capacity) return;
        // Not exact under races (a few entries more or less), which the bound does not need.
        _keys.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>Entries held now (tests).</summary>
    internal int Count => _keys.Count;
}
