using System.Net;
using System.Net.Sockets;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// A TCP forwarder on the cluster bridge's address to the test PostgreSQL, which listens on 127.0.0.1 only: the nodes
/// in their namespaces reach the database through it as real hosts reach a database server on the LAN. Each accepted
/// connection gets its own pair of copy loops; everything stops on dispose. Connections it forwards can be cut
/// (<see cref="CutAll"/>), which is how a node's view of the database "goes away".
/// </summary>
internal sealed class PostgresForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;

    private PostgresForwarder(TcpListener listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _accepting = AcceptAsync();
    }

    /// <summary>Where the nodes connect.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public static PostgresForwarder Start(IPAddress listenAddress, IPEndPoint target)
    {
        var listener = new TcpListener(new IPEndPoint(listenAddress, 0));
        listener.Start(64);
        return new PostgresForwarder(listener, target);
    }

    /// <summary>Ends every forwarded connection now (the database looks gone to whoever held them).</summary>
    public void CutAll()
    {
        lock (_open)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            _ = ForwardAsync(incoming);
        }
    }

    private async Task ForwardAsync(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        lock (_open)
        {
            _open.Add(incoming);
            _open.Add(outgoing);
        }
        try
        {
            incoming.NoDelay = true;
            outgoing.NoDelay = true;
            await outgoing.ConnectAsync(_target, _stop.Token);
            var a = incoming.GetStream();
            var b = outgoing.GetStream();
            // Either direction ending ends both.
            await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended or was cut.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(incoming);
                _open.Remove(outgoing);
            }
            incoming.Dispose();
            outgoing.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _accepting;
        _stop.Dispose();
    }
}
