using Microsoft.Extensions.Logging;
using Turn.Relay.Transports.Linux;
using Turn.Relay.Transports.Sockets;

namespace Turn.Relay.Transports;

/// <summary>
/// The one place the relay's I/O model is chosen, once at start: the Linux event loops with
/// Relay:LinuxFastPath (default true) on Linux x86-64/arm64 when epoll can be set up (else logged),
/// otherwise the portable async sockets. Both relay the same way; the event loops use about a third
/// of the CPU per message. The only type that knows both models: they never refer to each other.
/// </summary>
internal static class SocketTransportFactory
{
    public static ISocketTransport Create(RelayOptions options, ILoggerFactory loggerFactory)
    {
        if (options.LinuxFastPath && LinuxSocketCalls.IsAvailable
            && SocketEventLoopGroup.TryCreate(options.EventLoops, StreamSendBatch.Hook, loggerFactory.CreateLogger<SocketEventLoopGroup>()) is { } loops)
        {
            return new LinuxTransport(loops, new SocketsTransport(loggerFactory));
        }
        return new SocketsTransport(loggerFactory);
    }
}
