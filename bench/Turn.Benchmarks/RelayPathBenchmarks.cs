using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Hosting;
using Turn.Relay.Policy;
using Turn.Relay.Transports;

namespace Turn.Benchmarks;

/// <summary>
/// The relay engine's data path with in-memory transports (no syscalls): one allocation made
/// through the real Allocate / CreatePermission / ChannelBind exchange, then client to peer
/// (ChannelData, Send indication) and peer to client (ChannelData, Data indication). Setup checks
/// that each path really relays, so no benchmark measures a drop.
/// </summary>
[MemoryDiagnoser]
public class RelayPathBenchmarks
{
    private const ushort Channel = 0x4000;
    private static readonly TransportAddress ChannelPeer = Samples.Peer;
    private static readonly TransportAddress IndicationPeer = Samples.Peer.WithPort(6000);

    private RelayEngine _engine = null!;
    private MemoryEndpoint _endpoint = null!;
    private MemoryRelaySocketFactory _sockets = null!;
    private RelayMetrics _metrics = null!;
    private byte[] _channelData = null!;
    private byte[] _sendIndication = null!;
    private byte[] _binding = null!;
    private byte[] _peerBuffer = null!;

    [Params(100, 1000)]
    public int Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new RelayOptions
        {
            DefaultRealm = Samples.Realm,
            MinPort = 50000,
            MaxPort = 50099,
            Users = [new RelayUser { Name = Samples.User, Password = Samples.Password }],
        });
        _metrics = new RelayMetrics(new StandaloneMeterFactory());
        _sockets = new MemoryRelaySocketFactory();
        _engine = new RelayEngine(options, TimeProvider.System, new ConfigurationCredentialStore(options),
            new PeerPolicy(Options.Create(new RelayOptions()), NullLogger<PeerPolicy>.Instance), _sockets, [], _metrics, NullLogger<RelayEngine>.Instance);
        _endpoint = new MemoryEndpoint(Samples.Server);

        var client = new EngineClient(_engine, _endpoint, Samples.Client);
        client.Expect(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
        client.Expect(StunMethod.CreatePermission, (ref StunMessageWriter w) =>
        {
            w.WriteXorAddress(StunAttributeType.XorPeerAddress, ChannelPeer);
            w.WriteXorAddress(StunAttributeType.XorPeerAddress, IndicationPeer);
        });
        client.Expect(StunMethod.ChannelBind, (ref StunMessageWriter w) =>
        {
            w.WriteChannelNumber(Channel);
            w.WriteXorAddress(StunAttributeType.XorPeerAddress, ChannelPeer);
        });

        _channelData = Samples.ChannelDataMessage(Channel, Payload);
        _sendIndication = Samples.SendIndication(Payload, IndicationPeer);
        _binding = Samples.BindingRequest();
        _peerBuffer = new byte[PeerDatagramLayout.BufferSize];

        // Each path once, checked: the relay must forward, not drop.
        var socket = _sockets.Single;
        Check(ClientChannelDataToPeer, () => socket.Sent, "ChannelData to peer");
        Check(ClientSendIndicationToPeer, () => socket.Sent, "Send indication to peer");
        Check(PeerToClientChannelData, () => _endpoint.Sent, "peer datagram as ChannelData");
        Check(PeerToClientDataIndication, () => _endpoint.Sent, "peer datagram as Data indication");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _metrics.Dispose();
    }

    [Benchmark]
    public void ClientChannelDataToPeer() => _engine.OnDatagram(_endpoint, Samples.Client, _channelData);

    [Benchmark]
    public void ClientSendIndicationToPeer() => _engine.OnDatagram(_endpoint, Samples.Client, _sendIndication);

    [Benchmark]
    public void PeerToClientChannelData() => _sockets.Single.Deliver(_peerBuffer, Payload, ChannelPeer);

    [Benchmark]
    public void PeerToClientDataIndication() => _sockets.Single.Deliver(_peerBuffer, Payload, IndicationPeer);

    /// <summary>A Binding request from the allocation's client (ICE consent checks go this way).</summary>
    [Benchmark]
    public void BindingRequest() => _engine.OnDatagram(_endpoint, Samples.Client, _binding);

    private static void Check(Action path, Func<long> counter, string what)
    {
        var before = counter();
        path();
        if (counter() != before + 1) throw new InvalidOperationException($"Benchmark setup: the relay dropped the {what}.");
    }
}
