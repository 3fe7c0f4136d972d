// The ICE test page's browser side: a relay-only WebRTC loop between two RTCPeerConnections in this tab, through
// the TURN URL of one transport only. Reports what happened; the page (IceTestDiagnosis) turns it into a diagnosis.
// Served from this origin (CSP script-src 'self'); WebRTC needs no connect-src.

const chunkSize = 16 * 1024;
const bufferHigh = 1024 * 1024;

function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout: ' + what)), ms); }),
  ]);
}

function pickUrls(iceServers, transport) {
  const matches = url => transport === 'turns'
    ? url.startsWith('turns:')
    : url.startsWith('turn:') && url.includes('transport=' + transport);
  return iceServers
    .map(s => ({ ...s, urls: (Array.isArray(s.urls) ? s.urls : [s.urls]).filter(matches) }))
    .filter(s => s.urls.length > 0);
}

export async function run(iceServersJson, transport, options) {
  const timeoutMs = options?.timeoutMs ?? 12000;
  const throughputMs = options?.throughputMs ?? 3000;
  const started = performance.now();
  const result = {
    transport, urls: [], candidates: [], errors: [], opened: false, rttMs: null, throughputBitsPerSecond: null,
    bytesEchoed: 0, failure: null, selectedPair: null, elapsedMs: 0,
  };
  const servers = pickUrls(JSON.parse(iceServersJson), transport);
  result.urls = servers.flatMap(s => s.urls);
  if (result.urls.length === 0) {
    result.failure = 'no-url';
    return result;
  }

  const config = { iceServers: servers, iceTransportPolicy: 'relay' };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  try {
    let relayCandidate;
    const gotRelay = new Promise(resolve => relayCandidate = resolve);
    for (const [name, from, to] of [['a', a, b], ['b', b, a]]) {
      from.onicecandidate = e => {
        if (!e.candidate || !e.candidate.candidate) return;
        const c = e.candidate;
        result.candidates.push({ peer: name, type: c.type, protocol: c.protocol, address: c.address, port: c.port, relayProtocol: c.relayProtocol ?? null });
        if (c.type === 'relay') relayCandidate();
        to.addIceCandidate(c).catch(err => result.errors.push({ url: '', code: 0, text: 'addIceCandidate: ' + err }));
      };
      from.onicecandidateerror = e => result.errors.push({ url: e.url ?? '', code: e.errorCode ?? 0, text: e.errorText ?? '' });
    }

    // Peer b echoes small messages and counts the bulk ones.
    let bulkBytes = 0;
    b.ondatachannel = e => {
      const channel = e.channel;
      channel.binaryType = 'arraybuffer';
      channel.onmessage = m => {
        if (typeof m.data === 'string') channel.send(m.data);
        else bulkBytes += m.data.byteLength;
      };
    };
    const channel = a.createDataChannel('turnstone-ice-test');
    channel.binaryType = 'arraybuffer';
    const opened = new Promise(resolve => channel.onopen = resolve);

    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription);

    const remaining = () => Math.max(1, timeoutMs - (performance.now() - started));
    try {
      await within(gotRelay, remaining(), 'relay candidates');
    } catch {
      result.failure = 'no-relay-candidates';
      return result;
    }
    try {
      await within(opened, remaining(), 'data channel');
    } catch {
      result.failure = 'channel-timeout';
      return result;
    }
    result.opened = true;

    // Round-trip time: the median of five echoes.
    const rtts = [];
    for (let i = 0; i < 5; i++) {
      const sent = performance.now();
      const echoed = new Promise(resolve => channel.onmessage = m => resolve(m.data));
      channel.send('ping ' + i);
      await within(echoed, 5000, 'echo');
      rtts.push(performance.now() - sent);
    }
    rtts.sort((x, y) => x - y);
    result.rttMs = Math.round(rtts[2] * 10) / 10;

    // Throughput: send for throughputMs while the buffer stays below bufferHigh, count what b received.
    const chunk = new Uint8Array(chunkSize);
    channel.bufferedAmountLowThreshold = bufferHigh / 2;
    const bulkStart = performance.now();
    const bytesBefore = bulkBytes;
    while (performance.now() - bulkStart < throughputMs) {
      if (channel.bufferedAmount > bufferHigh) {
        await new Promise(resolve => { channel.onbufferedamountlow = resolve; setTimeout(resolve, 50); });
        continue;
      }
      channel.send(chunk);
    }
    const seconds = (performance.now() - bulkStart) / 1000;
    result.bytesEchoed = bulkBytes - bytesBefore;
    result.throughputBitsPerSecond = Math.round(result.bytesEchoed * 8 / seconds);

    const stats = await a.getStats();
    stats.forEach(s => {
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        const local = stats.get(s.localCandidateId);
        const remote = stats.get(s.remoteCandidateId);
        result.selectedPair = (local ? local.address + ':' + local.port + ' (' + local.candidateType + ')' : '?')
          + ' ⇄ ' + (remote ? remote.address + ':' + remote.port + ' (' + remote.candidateType + ')' : '?');
      }
    });
    return result;
  } catch (err) {
    result.failure = result.failure ?? ('error: ' + err);
    return result;
  } finally {
    result.elapsedMs = Math.round(performance.now() - started);
    a.close();
    b.close();
  }
}
