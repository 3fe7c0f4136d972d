using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The UDP event loops of one relay (Relay:UdpEventLoops threads, default one per core): listeners
/// and relay sockets are spread over them round-robin. <see cref="IsEnabled"/> is false off Linux,
/// on other architectures, with Relay:LinuxFastPath false, or when epoll cannot be set up; the
/// sockets then run their portable async receive loops instead.
/// </summary>
internal sealed partial class UdpEventLoopGroup : IDisposable
{
    private readonly UdpEventLoop[] _loops;
    private int _next;

    public UdpEventLoopGroup(IOptions<RelayOptions> options, ILogger<UdpEventLoopGroup> logger)
    {
        _loops = [];
        var wanted = options.Value.UdpEventLoops;
        if (!options.Value.LinuxFastPath || !LinuxSocketCalls.IsAvailable) return;
        var count = wanted == 0 ? Environment.ProcessorCount : wanted;
        var loops = new List<UdpEventLoop>(count);
        try
        {
            for (var i = 0; i < count; i++) loops.Add(UdpEventLoop.Create(i, logger));
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

    /// <summary>Registers a socket with the next loop in turn.</summary>
    public UdpEventRegistration Register(Socket socket, IUdpEventTarget target)
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length);
        return _loops[index].Register(socket, target);
    }

    public void Dispose()
    {
        foreach (var loop in _loops) loop.Dispose();
    }

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "UDP event loops unavailable ({Reason}): using portable async receive loops")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
