namespace Admin.Data.Credentials;

/// <summary>
/// A map of at most <c>capacity</c> entries that, when full, evicts the least recently used one: O(1) per lookup,
/// store and eviction (a dictionary over a doubly linked list, under one short lock). Used for the credential cache's
/// separate spaces (known users, unknown users, USERHASH answers, secrets, policies), so a flood of one kind of key
/// only ever evicts keys of that kind, and the hot ones last.
/// </summary>
internal sealed class BoundedLru<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Item>> _map;
    private readonly LinkedList<Item> _order = new(); // most recently used first
    private readonly int _capacity;
    private readonly Lock _lock = new();

    public BoundedLru(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _map = new Dictionary<TKey, LinkedListNode<Item>>(comparer);
    }

    public int Count
    {
        get
        {
            lock (_lock) return _map.Count;
        }
    }

    /// <summary>Evictions since the map was made (for tests and figures).</summary>
    public long Evictions { get; private set; }

    /// <summary>The value stored at or after <paramref name="notBefore"/> (a timestamp); marks it recently used.</summary>
    public bool TryGet(TKey key, long notBefore, out TValue value)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                if (node.Value.StoredAt >= notBefore)
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                    value = node.Value.Value;
                    return true;
                }
                // Too old: drop it now rather than let it hold a slot.
                _order.Remove(node);
                _map.Remove(key);
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Stores or replaces the value; returns a token that <see cref="Remove(TKey, object)"/> accepts.</summary>
    public object Set(TKey key, TValue value, long storedAt)
    {
        var item = new Item(key, value, storedAt);
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                node.Value = item;
                _order.Remove(node);
                _order.AddFirst(node);
                return item;
            }
            while (_map.Count >= _capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _map.Remove(oldest.Value.Key);
                Evictions++;
            }
            _map[key] = _order.AddFirst(item);
            return item;
        }
    }

    public bool Remove(TKey key)
    {
        lock (_lock)
        {
            if (!_map.Remove(key, out var node)) return false;
            _order.Remove(node);
            return true;
        }
    }

    /// <summary>Removes the entry only if it is still the one <see cref="Set"/> returned <paramref name="token"/> for.</summary>
    public void Remove(TKey key, object token)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node) && ReferenceEquals(node.Value, token))
            {
                _map.Remove(key);
                _order.Remove(node);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _map.Clear();
            _order.Clear();
        }
    }

    private sealed record Item(TKey Key, TValue Value, long StoredAt);
}
