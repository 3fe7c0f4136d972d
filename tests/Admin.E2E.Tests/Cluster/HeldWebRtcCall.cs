using System.Text.Json;
using Microsoft.Playwright;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// A WebRTC call in Chromium that stays up: two RTCPeerConnections on one page, relay candidates only
/// (iceTransportPolicy 'relay'), a data channel through the TURN server, echoing until <see cref="DisposeAsync"/>
/// closes the page. Both ends allocate on the server they are given, so a call holds (at least) two allocations there
/// while it is open; Chromium follows a 300 Try Alternate by itself.
/// </summary>
internal sealed class HeldWebRtcCall : IAsyncDisposable
{
    private const string Script = """
        async ({ iceServers, timeoutMs }) => {
          const result = { opened: false, echoed: false, candidates: [], candidateErrors: [] };
          const within = (promise, what) => Promise.race([
            promise,
            new Promise((_, reject) => setTimeout(() => reject(new Error('timed out waiting for ' + what)), timeoutMs)),
          ]);
          const config = { iceServers, iceTransportPolicy: 'relay' };
          const a = new RTCPeerConnection(config);
          const b = new RTCPeerConnection(config);
          window.heldCall = { a, b };
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
            const channel = a.createDataChannel('cluster');
            const echoed = new Promise(resolve => channel.onmessage = m => { if (m.data === 'echo:ping') resolve(); });
            const opened = new Promise(resolve => channel.onopen = resolve);
            await a.setLocalDescription(await a.createOffer());
            await b.setRemoteDescription(a.localDescription);
            await b.setLocalDescription(await b.createAnswer());
            await a.setRemoteDescription(b.localDescription);
            await within(opened, 'the data channel to open');
            result.opened = true;
            channel.send('ping');
            await within(echoed, 'the echo');
            result.echoed = true;
            const stats = await a.getStats();
            let pair;
            stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
            if (pair) {
              const local = stats.get(pair.localCandidateId);
              const remote = stats.get(pair.remoteCandidateId);
              result.localCandidateType = local && local.candidateType;
              result.localAddress = local && local.address;
              result.remoteAddress = remote && remote.address;
            }
          } catch (err) {
            result.error = String(err && err.message || err);
          }
          return JSON.stringify(result);
        }
        """;

    private readonly IBrowserContext _context;

    private HeldWebRtcCall(IBrowserContext context, HeldWebRtcCallResult result)
    {
        _context = context;
        Result = result;
    }

    public HeldWebRtcCallResult Result { get; }

    /// <summary>Opens the call through <paramref name="turnUrl"/> (turn:HOST:PORT?transport=udp) and waits for one echo.</summary>
    public static async Task<HeldWebRtcCall> StartAsync(IBrowser browser, string turnUrl, string username, string credential, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var context = await browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.SetContentAsync("<!doctype html><title>Turnstone cluster call</title>");
            page.SetDefaultTimeout((float)(limit.TotalMilliseconds + 10_000));
            var json = await page.EvaluateAsync<string>(Script, new
            {
                iceServers = new[] { new { urls = turnUrl, username, credential } },
                timeoutMs = (int)limit.TotalMilliseconds,
            });
            var result = JsonSerializer.Deserialize<HeldWebRtcCallResult>(json) ?? throw new InvalidOperationException("The call page returned null.");
            return new HeldWebRtcCall(context, result);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>Closes the page: both peer connections end (their allocations are deleted or expire).</summary>
    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
