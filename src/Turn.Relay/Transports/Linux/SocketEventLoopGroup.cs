using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The event loops of one relay (Relay:EventLoops threads, default one per core): UDP listeners,
/// relay sockets and plain TCP connections are spread over them round-robin. <see cref="IsEnabled"/> is false off Linux,
/// on other architectures, with Relay:LinuxFastPath false, or when epoll cannot be set up; the
/// sockets then run their portable async receive loops instead.
/// </summary>
internal sealed partial class SocketEventLoopGroup : IDisposable
{
    private readonly SocketEventLoop[] _loops;
    private int _next;

    public SocketEventLoopGroup(IOptions<RelayOptions> options, ILogger<SocketEventLoopGroup> logger)
    {
        _loops = [];
        var wanted = options.Value.EventLoops;
        if (!options.Value.LinuxFastPath || !LinuxSocketCalls.IsAvailable) return;
        var count = wanted == 0 ? Environment.ProcessorCount : wanted;
        var loops = new List<SocketEventLoop>(count);
        try
        {
            for (var i = 0; i < count; i++) loops.Add(SocketEventLoop.Create(i, logger));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or SocketException)
        {
            foreach (var loop in loops) loop.Dispose();
            LogUnavailable(logger, ex.Message);
            return;
        }
        _loops = [.. loops];
    }

    public bool IsEnabled => _loops.Length > 0;

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

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Socket event loops unavailable ({Reason}): using the portable async socket paths")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
