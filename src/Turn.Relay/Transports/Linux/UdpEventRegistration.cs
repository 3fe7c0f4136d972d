using System.Net.Sockets;

namespace Turn.Relay.Transports.Linux;

/// <summary>One socket registered with a <see cref="UdpEventLoop"/>; dispose it before closing the socket.</summary>
internal sealed class UdpEventRegistration(UdpEventLoop loop, int slot, SafeSocketHandle handle, IUdpEventTarget target) : IDisposable
{
    private int _removed;

    public UdpEventLoop Loop { get; } = loop;

    public int Slot { get; } = slot;

    public SafeSocketHandle Handle { get; } = handle;

    public IUdpEventTarget Target { get; } = target;

    public bool IsRemoved => Volatile.Read(ref _removed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0) Loop.Unregister(this);
    }
}
