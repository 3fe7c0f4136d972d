using System.Net;
using System.Net.Sockets;

namespace Turnstone.TestSupport;

/// <summary>
/// Hands out relay port ranges (Relay:MinPort..MaxPort) that no other test host holds, instead of ranges split
/// between fixtures by hand. The pool lies below Linux's ephemeral range (32768-60999), so ports the OS picks for
/// listeners on port 0 and for client sockets never land in a leased range. A range is a run of whole blocks;
/// each block is held by an exclusive lock file under /tmp (test processes of other projects and other worktrees
/// running at the same time skip it) and probed: every port must bind for UDP on 127.0.0.1 and ::1 right now.
/// </summary>
public static class PortRangeAllocator
{
    public const int PoolStart = 20000;
    public const int PoolEnd = 32749;
    public const int BlockSize = 50;

    private const int Blocks = (PoolEnd - PoolStart + 1) / BlockSize;

    private static readonly Lock s_gate = new();
    private static readonly bool[] s_leased = new bool[Blocks];

    // Each process starts at its own place in the pool, so concurrent test processes rarely probe the same blocks.
    private static int s_next = Random.Shared.Next(Blocks);

    private static string LockDirectory => Path.Combine(Path.GetTempPath(), "turnstone-test-ports");

    /// <summary>Leases <paramref name="count"/> consecutive ports that are free now and held by no other test host.</summary>
    public static PortRange Allocate(int count = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var blocks = (count + BlockSize - 1) / BlockSize;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks, Blocks / 4, nameof(count));
        Directory.CreateDirectory(LockDirectory);
        lock (s_gate)
        {
            for (var tried = 0; tried < Blocks; tried++)
            {
                var first = s_next;
                s_next = (s_next + 1) % Blocks;
                if (first + blocks > Blocks) continue;
                if (TryLease(first, blocks) is { } locks)
                {
                    s_next = (first + blocks) % Blocks;
                    var min = PoolStart + (first * BlockSize);
                    return new PortRange(min, min + count - 1, first, blocks, locks);
                }
            }
        }

        throw new InvalidOperationException($"No {count} free relay ports in {PoolStart}-{PoolEnd}: every block is leased or in use.");
    }

    internal static void Release(int firstBlock, int blocks, IReadOnlyList<FileStream> locks)
    {
        lock (s_gate)
        {
            for (var block = firstBlock; block < firstBlock + blocks; block++) s_leased[block] = false;
        }

        foreach (var file in locks) file.Dispose();
    }

    // Caller holds s_gate.
    private static List<FileStream>? TryLease(int first, int blocks)
    {
        for (var block = first; block < first + blocks; block++)
        {
            if (s_leased[block]) return null;
        }

        var locks = new List<FileStream>(blocks);
        for (var block = first; block < first + blocks; block++)
        {
            var file = TryLock(block);
            if (file is null || !PortsBind(PoolStart + (block * BlockSize), BlockSize))
            {
                file?.Dispose();
                foreach (var held in locks) held.Dispose();
                return null;
            }

            locks.Add(file);
        }

        for (var block = first; block < first + blocks; block++) s_leased[block] = true;
        return locks;
    }

    // FileShare.None takes an exclusive flock on Unix: released by the kernel when the process ends, however it ends.
    private static FileStream? TryLock(int block)
    {
        var path = Path.Combine(LockDirectory, $"block-{PoolStart + (block * BlockSize)}.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null; // another test process holds it
        }
        catch (UnauthorizedAccessException)
        {
            return null; // another user's lock file: leave the block to them
        }
    }

    private static bool PortsBind(int start, int count)
    {
        for (var port = start; port < start + count; port++)
        {
            if (!Binds(IPAddress.Loopback, port)) return false;
            if (Socket.OSSupportsIPv6 && !Binds(IPAddress.IPv6Loopback, port)) return false;
        }

        return true;
    }

    private static bool Binds(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
