using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;

namespace Turn.Relay.Transports.Sockets;

/// <summary>
/// The client-facing UDP socket on the portable path: one async receive loop with a pinned buffer
/// and a reused <see cref="SocketAddress"/>; replies with Socket.SendTo from the caller's thread.
/// A wildcard socket reads each datagram's destination with ReceiveMessageFrom instead (which
/// allocates its endpoint and packet information per datagram: the Linux path does not). .NET
/// cannot name a datagram's source address, so replies leave from the kernel's choice for the
/// route back: the reached address on a host with one address per route, not always on a
/// multi-homed one (there, use the Linux path or list the addresses in Relay:ListenAddresses).
/// </summary>
internal sealed partial class SocketsUdpListener(IPEndPoint endPoint, IClientMessageHandler handler, ILogger logger, bool reusePort)
    : UdpListener(endPoint, handler, reusePort)
{
    // STUN over UDP must fit a path MTU (RFC 8489 section 6.1); ChannelData to the relay is bounded
    // by what a peer datagram may carry. Larger datagrams are truncated by the kernel and dropped.
    private const int ReceiveBufferSize = 8_192;

    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveLoop;

    public override void Start()
    {
        if (IsWildcard) LogSourceLeftToKernel(logger, LocalAddress.ToString());
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(readDestination: IsWildcard));
    }

    public override bool SendTo(ReadOnlySpan<byte> datagram, in TransportAddress remote, UdpLocalEndpoint from) =>
        SocketsDatagramSender.SendTo(Socket, datagram, remote);

    // A wildcard socket asks each datagram's destination (ReceiveMessageFrom: IP_PKTINFO), so the client's endpoint is
    // the address it reached; a socket bound to one address needs no more than ReceiveFrom.
    private async Task ReceiveLoopAsync(bool readDestination)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
        var from = new SocketAddress(Socket.AddressFamily);
        EndPoint any = Socket.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            TransportAddress remote;
            var to = default(TransportAddress);
            try
            {
                if (readDestination)
                {
                    var result = await Socket.ReceiveMessageFromAsync(buffer.AsMemory(), SocketFlags.None, any, token).ConfigureAwait(false);
                    if ((result.SocketFlags & SocketFlags.Truncated) != 0 || result.RemoteEndPoint is not IPEndPoint endPoint) continue;
                    received = result.ReceivedBytes;
                    remote = TransportAddress.FromIPEndPoint(endPoint);
                    if (result.PacketInformation.Address is { } destination) to = TransportAddress.FromIPAddress(destination, 0);
                }
                else
                {
                    received = await Socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from, token).ConfigureAwait(false);
                    if (!TransportAddress.TryFromSocketAddress(from, out remote)) continue;
                }
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
                LogReceiveFailed(logger, LocalAddress.ToString(), ex.SocketErrorCode);
                return;
            }
            Deliver(to, remote, buffer.AsSpan(0, received));
        }
    }

    private void Deliver(in TransportAddress to, in TransportAddress remote, ReadOnlySpan<byte> datagram)
    {
        if (EndpointFor(to) is not { } endpoint) return;
        try
        {
            Handler.OnDatagram(endpoint, remote, datagram);
        }
        catch (Exception ex)
        {
            // A bug in handling one datagram must not stop the loop for everyone else.
            LogHandlerFailed(logger, LocalAddress.ToString(), ex);
        }
    }

    protected override void StopReceiving() => _stop.Cancel();

    protected override void WaitStopped()
    {
        try
        {
            _receiveLoop?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException ex)
        {
            LogStopFailed(logger, LocalAddress.ToString(), ex.InnerException?.Message ?? ex.Message);
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "UDP listener {Address} stopped receiving: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, string address, SocketError error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "UDP listener {Address} did not stop cleanly: {Error}")]
    private static partial void LogStopFailed(ILogger logger, string address, string error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "UDP listener {Address} (portable path): relays are bound on the address each client reached, but replies leave from the kernel's choice of source, which on a host with several addresses on one route may be another; list the addresses in Relay:ListenAddresses or use the Linux path there")]
    private static partial void LogSourceLeftToKernel(ILogger logger, string address);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Handling a datagram on {Address} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string address, Exception exception);
}
