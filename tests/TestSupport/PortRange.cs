using System.Globalization;

namespace Turnstone.TestSupport;

/// <summary>
/// Relay ports leased to one test host by <see cref="PortRangeAllocator"/> (Relay:MinPort..Relay:MaxPort).
/// Dispose hands them back; a process that dies without disposing releases them with its file locks.
/// </summary>
public sealed class PortRange : IDisposable
{
    private readonly int _firstBlock;
    private readonly int _blocks;
    private IReadOnlyList<FileStream>? _locks;

    internal PortRange(int min, int max, int firstBlock, int blocks, IReadOnlyList<FileStream> locks)
    {
        Min = min;
        Max = max;
        _firstBlock = firstBlock;
        _blocks = blocks;
        _locks = locks;
    }

    public int Min { get; }

    public int Max { get; }

    public int Count => Max - Min + 1;

    /// <summary>Relay:MinPort as a configuration value.</summary>
    public string MinSetting => Min.ToString(CultureInfo.InvariantCulture);

    /// <summary>Relay:MaxPort as a configuration value.</summary>
    public string MaxSetting => Max.ToString(CultureInfo.InvariantCulture);

    public bool Contains(int port) => port >= Min && port <= Max;

    public override string ToString() => $"{Min}-{Max}";

    public void Dispose()
    {
        var locks = Interlocked.Exchange(ref _locks, null);
        if (locks is null) return;
        PortRangeAllocator.Release(_firstBlock, _blocks, locks);
    }
}
