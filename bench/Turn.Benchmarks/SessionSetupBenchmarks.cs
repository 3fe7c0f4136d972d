using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay;
using Turn.Relay.Diagnostics;
using Turn.Relay.Engine;
using Turn.Relay.Hosting;
using Turn.Relay.Policy;

namespace Turn.Benchmarks;

/// <summary>
/// One whole session per operation, as turnutils_uclient and browsers set it up (issue 17): Allocate (401, then
/// authenticated), CreatePermission, ChannelBind, then Refresh with LIFETIME 0, from a new client address each time,
/// through the real engine with in-memory transports and the configured-user credential store. Every answer is
/// checked, so a benchmark that measured refusals would throw. What it leaves out is the kernel's part (sockets,
/// syscalls) and the thread pool's: this is the engine's CPU and allocation per session.
/// </summary>
[MemoryDiagnoser]
public class SessionSetupBenchmarks
{
    private const ushort Channel = 0x4000;

    private RelayEngine _engine = null!;
    private MemoryEndpoint _endpoint = null!;
    private RelayMetrics _metrics = null!;
    private SessionClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_engine, _endpoint, _metrics) = Create();
        _client = new SessionClient(_engine, _endpoint);
        _client.RunSession(); // checked once before timing
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _metrics.Dispose();
    }

    /// <summary>Allocate (401 + authenticated), CreatePermission, ChannelBind, Refresh 0: five requests, five answers.</summary>
    [Benchmark]
    public void Session() => _client.RunSession();

    /// <summary>An engine with the per-source limits off: every session comes from a new address, but the limits' buckets are O(1) and not what is measured.</summary>
    internal static (RelayEngine Engine, MemoryEndpoint Endpoint, RelayMetrics Metrics) Create()
    {
        var options = Options.Create(new RelayOptions
        {
            DefaultRealm = Samples.Realm,
            MinPort = 50000,
            MaxPort = 59999,
            UserQuota = 0,
            UnauthenticatedAnswersPerSecond = 0,
            UnauthenticatedAnswersPerPrefixPerSecond = 0,
            RequestsPerSecondPerSource = 0,
            Users = [new RelayUser { Name = Samples.User, Password = Samples.Password }],
        });
        var metrics = new RelayMetrics(new StandaloneMeterFactory());
        var engine = new RelayEngine(options, TimeProvider.System, new ConfigurationCredentialStore(options),
            new PeerPolicy(Options.Create(new RelayOptions()), NullLogger<PeerPolicy>.Instance), new MemoryRelaySocketFactory(), [], metrics,
            NullLogger<RelayEngine>.Instance);
        return (engine, new MemoryEndpoint(Samples.Server), metrics);
    }

    /// <summary>
    /// The client side, allocation-free so the figures are the engine's: requests written into one buffer, the nonce
    /// copied out of the 401 as bytes, every answer read in place.
    /// </summary>
    internal sealed class SessionClient(RelayEngine engine, MemoryEndpoint endpoint)
    {
        private readonly byte[] _request = new byte[512];
        private readonly byte[] _nonce = new byte[256];
        private readonly byte[] _realm = System.Text.Encoding.UTF8.GetBytes(Samples.Realm);
        private readonly byte[] _user = System.Text.Encoding.UTF8.GetBytes(Samples.User);
        private uint _next;
        private int _nonceLength;
        private TransportAddress _address;

        public void RunSession()
        {
            // 10.0.0.0/8 from the bottom, port 40000: a fresh 5-tuple per session.
            var n = ++_next;
            _address = TransportAddress.FromIPAddress(new IPAddress([10, (byte)(n >> 16), (byte)(n >> 8), (byte)n]), 40000);
            Send(StunMethod.Allocate, authenticate: false, expectError: 401);
            Send(StunMethod.Allocate, authenticate: true, expectError: 0);
            Send(StunMethod.CreatePermission, authenticate: true, expectError: 0);
            Send(StunMethod.ChannelBind, authenticate: true, expectError: 0);
            Send(StunMethod.Refresh, authenticate: true, expectError: 0);
        }

        private void Send(StunMethod method, bool authenticate, int expectError)
        {
            var writer = new StunMessageWriter(_request);
            var id = TransactionId.NewRandom();
            writer.WriteHeader(method, StunClass.Request, id);
            switch (method)
            {
                case StunMethod.Allocate:
                    writer.WriteRequestedTransport(17);
                    break;
                case StunMethod.CreatePermission:
                    writer.WriteXorAddress(StunAttributeType.XorPeerAddress, Samples.Peer);
                    break;
                case StunMethod.ChannelBind:
                    writer.WriteChannelNumber(Channel);
                    writer.WriteXorAddress(StunAttributeType.XorPeerAddress, Samples.Peer);
                    break;
                case StunMethod.Refresh:
                    writer.WriteLifetime(0);
                    break;
            }
            if (authenticate)
            {
                writer.WriteAttribute(StunAttributeType.Username, _user);
                writer.WriteAttribute(StunAttributeType.Realm, _realm);
                writer.WriteAttribute(StunAttributeType.Nonce, _nonce.AsSpan(0, _nonceLength));
                writer.WriteMessageIntegrity(Samples.Key);
            }
            writer.WriteFingerprint();
            if (writer.HasFailed) throw new InvalidOperationException("Request did not fit.");
            var before = endpoint.Sent;
            engine.OnDatagram(endpoint, _address, _request.AsSpan(0, writer.Length));
            // With in-memory stores the whole pipeline completes on this thread.
            if (endpoint.Sent != before + 1) throw new InvalidOperationException($"{method}: no synchronous answer.");
            if (StunMessageReader.TryParse(endpoint.LastSent, out var response) != StunParseError.None || response.TransactionId != id)
                throw new InvalidOperationException($"{method}: unreadable answer.");
            var error = 0;
            if (response.TryGetAttribute(StunAttributeType.ErrorCode, out var code) && code.TryReadErrorCode(out var number, out _)) error = number;
            if (error != expectError) throw new InvalidOperationException($"{method}: answer {error}, expected {expectError}.");
            if (error == 401)
            {
                if (!response.TryGetValue(StunAttributeType.Nonce, out var nonce) || nonce.Length > _nonce.Length)
                    throw new InvalidOperationException("401 without a usable NONCE.");
                nonce.CopyTo(_nonce);
                _nonceLength = nonce.Length;
            }
        }
    }
}
