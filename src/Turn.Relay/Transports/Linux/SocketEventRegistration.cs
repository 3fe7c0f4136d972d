using System.Net.Sockets;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// One socket registered with a <see cref="SocketEventLoop"/>, for datagrams or for stream reads.
/// Dispose it before closing the socket.
/// </summary>
internal sealed class SocketEventRegistration(SocketEventLoop loop, int slot, SafeSocketHandle handle,
    IDatagramEventTarget? datagrams, IStreamEventTarget? stream) : IDisposable
{
    private int _removed;

    public SocketEventLoop Loop { get; } = loop;

    public int Slot { get; } = slot;

    public SafeSocketHandle Handle { get; } = handle;

    public IDatagramEventTarget? Datagrams { get; } = datagrams;

    public IStreamEventTarget? Stream { get; } = stream;

    public bool IsRemoved => Volatile.Read(ref _removed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0) Loop.Unregister(this);
    }
}
