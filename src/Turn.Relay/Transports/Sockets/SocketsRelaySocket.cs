using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;

namespace Turn.Relay.Transports.Sockets;

/// <summary>
/// A relay socket on the portable path: one async receive loop with a pinned buffer and a reused
/// <see cref="SocketAddress"/>; sends with Socket.SendTo from the caller's thread.
/// </summary>
internal sealed partial class SocketsRelaySocket : UdpRelaySocket
{
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();

    private SocketsRelaySocket(Socket socket, TransportAddress local, ILogger logger) : base(socket, local) => _logger = logger;

    public static SocketsRelaySocket? TryBind(in TransportAddress local, ILogger logger) =>
        TryBindSocket(local, out var bound) is { } socket ? new SocketsRelaySocket(socket, bound, logger) : null;

    public override bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress peer) => SocketsDatagramSender.SendTo(Socket, datagram, peer);

    protected override void StartReceiving(IPeerDatagramReceiver receiver) => _ = ReceiveLoopAsync(receiver);

    private async Task ReceiveLoopAsync(IPeerDatagramReceiver receiver)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(PeerDatagramLayout.BufferSize, pinned: true);
        var memory = buffer.AsMemory(PeerDatagramLayout.Headroom, PeerDatagramLayout.MaxPayload);
        var from = new SocketAddress(Socket.AddressFamily);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await Socket.ReceiveFromAsync(memory, SocketFlags.None, from, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (DatagramReceiveErrors.IsSkippable(ex.SocketErrorCode))
            {
                continue;
            }
            catch (SocketException ex)
            {
                LogReceiveFailed(_logger, LocalAddress.ToString(), ex.SocketErrorCode);
                return;
            }
            if (!TransportAddress.TryFromSocketAddress(from, out var peer)) continue;
            try
            {
                receiver.OnPeerDatagram(buffer, received, peer);
            }
            catch (Exception ex)
            {
                // A bug in handling one datagram must not stop the loop for everyone else.
                LogHandlerFailed(_logger, LocalAddress.ToString(), ex);
            }
        }
    }

    protected override void StopReceiving() => _stop.Cancel();

    protected override void OnClosed() => _stop.Dispose();

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Relay socket {Address} stopped receiving: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, string address, SocketError error);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Error, Message = "Handling a datagram on {Address} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string address, Exception exception);
}
