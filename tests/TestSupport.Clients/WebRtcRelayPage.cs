using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Turnstone.TestSupport.Clients;

/// <summary>
/// Headless Chromium (/usr/bin/chromium through Microsoft.Playwright; never `playwright install`)
/// with a page holding two RTCPeerConnections that may only use relay candidates. They open a
/// data channel through the TURN server and echo messages; getStats tells which candidate pair
/// carried them. One browser per instance; disposed with the instance.
/// </summary>
public sealed class WebRtcRelayPage : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Arguments for this closed, loopback-only machine. One --disable-features only: a second would replace the first.</summary>
    public static readonly IReadOnlyList<string> ChromiumArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-features=WebRtcHideLocalIpsWithMdns",
        // localhost as /etc/hosts has it: Chromium's own resolver tries ::1 first, and a relay that listens there too
        // would then give an IPv4 relay on the host's external address (cross-family), not on 127.0.0.1.
        "--host-resolver-rules=" + LocalhostRule,
    ];

    private const string LocalhostRule = "MAP localhost 127.0.0.1";

    private const string Script = """
        async ({ iceServers, messages, timeoutMs }) => {
          const result = { opened: false, sent: 0, echoed: 0, candidates: [], candidateErrors: [] };
          const deadline = Date.now() + timeoutMs;
          const remaining = () => Math.max(0, deadline - Date.now());
          const within = (promise, what) => Promise.race([
            promise,
            new Promise((_, reject) => setTimeout(() => reject(new Error('timed out waiting for ' + what)), remaining())),
          ]);
          const config = { iceServers, iceTransportPolicy: 'relay' };
          const a = new RTCPeerConnection(config);
          const b = new RTCPeerConnection(config);
          try {
            for (const [name, from, to] of [['a', a, b], ['b', b, a]]) {
              from.onicecandidate = e => {
                if (e.candidate && e.candidate.candidate) {
                  result.candidates.push(name + ': ' + e.candidate.candidate);
                  to.addIceCandidate(e.candidate).catch(err => result.candidateErrors.push(name + ' addIceCandidate: ' + err));
                }
              };
              from.onicecandidateerror = e => result.candidateErrors.push(name + ': ' + e.url + ' ' + e.errorCode + ' ' + e.errorText);
            }
            b.ondatachannel = e => { e.channel.onmessage = m => e.channel.send('echo:' + m.data); };
            const channel = a.createDataChannel('turnstone');
            const echoes = [];
            let allEchoed;
            const echoedAll = new Promise(resolve => allEchoed = resolve);
            channel.onmessage = m => { echoes.push(m.data); if (echoes.length >= messages) allEchoed(); };
            const opened = new Promise(resolve => channel.onopen = resolve);

            await a.setLocalDescription(await a.createOffer());
            await b.setRemoteDescription(a.localDescription);
            await b.setLocalDescription(await b.createAnswer());
            await a.setRemoteDescription(b.localDescription);

            await within(opened, 'the data channel to open');
            result.opened = true;
            for (let i = 0; i < messages; i++) { channel.send('message ' + i); result.sent++; }
            await within(echoedAll, messages + ' echoes');
            result.echoed = echoes.filter((m, i) => m === 'echo:message ' + i).length;

            const stats = await a.getStats();
            let pair;
            stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
            if (!pair) stats.forEach(s => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s; });
            if (pair) {
              const local = stats.get(pair.localCandidateId);
              const remote = stats.get(pair.remoteCandidateId);
              result.localCandidateType = local && local.candidateType;
              result.remoteCandidateType = remote && remote.candidateType;
              result.localRelayProtocol = local && local.relayProtocol;
              result.localAddress = local && (local.address + ':' + local.port);
              result.remoteAddress = remote && (remote.address + ':' + remote.port);
            }
          } catch (err) {
            result.error = String(err && err.message || err);
          } finally {
            result.iceConnectionState = a.iceConnectionState;
            a.close();
            b.close();
          }
          return JSON.stringify(result);
        }
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private WebRtcRelayPage(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>
    /// Launches headless Chromium. With <paramref name="trustStore"/>, Chromium runs with that HOME
    /// so it trusts the store's CA (for turns: with a test certificate).
    /// </summary>
    /// <param name="hostResolverRules">More --host-resolver-rules ("MAP turn.example.test 127.0.0.1, ..."), added to the localhost one (a second flag would replace the first).</param>
    public static async Task<WebRtcRelayPage> LaunchAsync(ChromiumTrustStore? trustStore = null, string? hostResolverRules = null)
    {
        var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        try
        {
            var options = new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = hostResolverRules is null
                    ? ChromiumArguments
                    : [.. ChromiumArguments.Where(a => !a.StartsWith("--host-resolver-rules=", StringComparison.Ordinal)),
                        $"--host-resolver-rules={LocalhostRule}, {hostResolverRules}"],
                Timeout = 30_000,
            };
            if (trustStore is not null)
            {
                options.Env = new Dictionary<string, string> { ["HOME"] = trustStore.Home };
            }

            var browser = await playwright.Chromium.LaunchAsync(options).ConfigureAwait(false);
            return new WebRtcRelayPage(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects two peer connections through <paramref name="iceServerUrl"/> (turn:127.0.0.1:PORT?transport=udp,
    /// ?transport=tcp, or turns:localhost:PORT?transport=tcp) and echoes <paramref name="messages"/> messages.
    /// </summary>
    public async Task<WebRtcRelayResult> ConnectAsync(string iceServerUrl, string username, string credential, int messages = 5, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var context = await _browser.NewContextAsync().ConfigureAwait(false);
        try
        {
            var page = await context.NewPageAsync().ConfigureAwait(false);
            // about:blank is enough: RTCPeerConnection needs no server and no secure origin.
            await page.SetContentAsync("<!doctype html><title>Turnstone WebRTC relay</title>").ConfigureAwait(false);
            page.SetDefaultTimeout((float)(limit.TotalMilliseconds + 10_000));
            var json = await page.EvaluateAsync<string>(Script, new
            {
                iceServers = new[] { new { urls = iceServerUrl, username, credential } },
                messages,
                timeoutMs = (int)limit.TotalMilliseconds,
            }).ConfigureAwait(false);
            return JsonSerializer.Deserialize<WebRtcRelayResult>(json)
                ?? throw new InvalidOperationException("The WebRTC page returned null.");
        }
        finally
        {
            await context.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>turn:HOST:PORT?transport=udp|tcp, or turns:HOST:PORT?transport=tcp for TLS.</summary>
    public static string IceServerUrl(TurnServerTarget server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        return server.Transport switch
        {
            ClientTransport.Udp => $"turn:{server.Host}:{port}?transport=udp",
            ClientTransport.Tcp => $"turn:{server.Host}:{port}?transport=tcp",
            _ => $"turns:{server.Host}:{port}?transport=tcp",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync().ConfigureAwait(false);
        await _browser.DisposeAsync().ConfigureAwait(false);
        _playwright.Dispose();
    }
}
