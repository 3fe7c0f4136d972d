using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The event loops of one relay (Relay:EventLoops threads, default one per core): UDP listeners,
/// relay sockets and plain TCP connections are spread over them round-robin.
/// </summary>
internal sealed partial class SocketEventLoopGroup : IDisposable
{
    private readonly SocketEventLoop[] _loops;
    private int _next;

    private SocketEventLoopGroup(SocketEventLoop[] loops) => _loops = loops;

    /// <summary>
    /// <paramref name="count"/> started loops (0: one per core), each running <paramref name="batchHook"/>
    /// around its datagram batches; null (logged) where epoll cannot be set up, so the caller falls back.
    /// </summary>
    public static SocketEventLoopGroup? TryCreate(int count, IReceiveBatchHook? batchHook, ILogger logger)
    {
        if (count == 0) count = Environment.ProcessorCount;
        var loops = new List<SocketEventLoop>(count);
        try
        {
            for (var i = 0; i < count; i++) loops.Add(SocketEventLoop.Create(i, batchHook, logger));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or SocketException)
        {
            foreach (var loop in loops) loop.Dispose();
            LogUnavailable(logger, ex.Message);
            return null;
        }
        return new SocketEventLoopGroup([.. loops]);
    }

    public int LoopCount => _loops.Length;

    /// <summary>Registers a UDP socket with the next loop in turn.</summary>
    public SocketEventRegistration Register(Socket socket, IDatagramEventTarget target) => NextLoop().Register(socket, target);

    /// <summary>Registers a stream connection with the next loop in turn.</summary>
    public SocketEventRegistration Register(Socket socket, IStreamEventTarget target) => NextLoop().Register(socket, target);

    private SocketEventLoop NextLoop() => _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];

    public void Dispose()
    {
        foreach (var loop in _loops) loop.Dispose();
    }

    [LoggerMessage(EventId = 1144, Level = LogLevel.Warning, Message = "Socket event loops unavailable ({Reason}): using the portable async socket paths")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
