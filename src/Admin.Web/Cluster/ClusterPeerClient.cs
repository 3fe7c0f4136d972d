using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Admin.Data.Cluster;
using Microsoft.Extensions.Options;

namespace Admin.Web.Cluster;

/// <summary>
/// Calls the other nodes' internal endpoints (signed with <see cref="ClusterSignature"/>): their live snapshots, all
/// at once and each bounded by Cluster:PeerTimeout, and commands (terminate, drain). A peer that fails is logged when
/// it starts failing and when it answers again, never per tick.
/// </summary>
public sealed partial class ClusterPeerClient(
    IHttpClientFactory httpClients,
    ClusterNodes nodes,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterPeerClient> logger)
{
    public const string HttpClientName = "turnstone-cluster";
    public const string SnapshotPath = "/internal/v1/snapshot";

    /// <summary>Commands change state and are issued by a person: they may take longer than a snapshot fetch, up to this.</summary>
    private static readonly TimeSpan MinCommandTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, byte> _failing = new(StringComparer.Ordinal);

    /// <summary>Every up peer's snapshot, fetched in parallel; peers that miss Cluster:PeerTimeout are listed as unavailable.</summary>
    public async Task<PeerSnapshots> FetchSnapshotsAsync(CancellationToken cancellationToken)
    {
        var peers = nodes.Peers.ToArray();
        if (peers.Length == 0) return PeerSnapshots.None;
        var fetches = new Task<NodeSnapshotWire?>[peers.Length];
        for (var i = 0; i < peers.Length; i++) fetches[i] = FetchSnapshotAsync(peers[i], cancellationToken);
        var answers = await Task.WhenAll(fetches);
        var snapshots = new List<NodeSnapshotWire>(peers.Length);
        var unavailable = new List<string>();
        for (var i = 0; i < peers.Length; i++)
        {
            if (answers[i] is { } snapshot) snapshots.Add(snapshot);
            else unavailable.Add(peers[i].Name);
        }
        return new PeerSnapshots(snapshots, unavailable);
    }

    private async Task<NodeSnapshotWire?> FetchSnapshotAsync(NodeState peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PeerTimeout);
        try
        {
            using var request = Signed(peer, HttpMethod.Get, SnapshotPath, []);
            using var response = await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"status {(int)response.StatusCode}");
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var snapshot = await JsonSerializer.DeserializeAsync(body, ClusterJsonContext.Default.NodeSnapshotWire, timeout.Token)
                ?? throw new JsonException("empty snapshot");
            if (_failing.TryRemove(peer.Name, out _)) LogPeerBack(logger, peer.Name);
            // The answer names its node; rows are shown under the name the registry has for the URL asked.
            return snapshot with { Node = peer.Name };
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            if (_failing.TryAdd(peer.Name, 0))
                LogPeerFailing(logger, peer.Name, peer.Node.InternalUrl ?? "", ex is OperationCanceledException ? $"no answer within {options.Value.PeerTimeout}" : ex.Message);
            return null;
        }
    }

    /// <summary>Sends a command to a peer and reads its answer; throws <see cref="PeerUnavailableException"/> when it does not answer.</summary>
    public async Task<TResult> SendCommandAsync<TBody, TResult>(NodeState peer, HttpMethod method, string path, TBody? body,
        JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
        where TBody : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PeerTimeout > MinCommandTimeout ? options.Value.PeerTimeout : MinCommandTimeout);
        var bytes = body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        try
        {
            using var request = Signed(peer, method, path, bytes);
            using var response = await Client().SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new PeerUnavailableException(peer.Name, $"it answered {(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await JsonSerializer.DeserializeAsync(stream, resultType, timeout.Token) ?? throw new PeerUnavailableException(peer.Name, "its answer was empty");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new PeerUnavailableException(peer.Name, ex is OperationCanceledException ? "timed out" : ex.Message, ex);
        }
    }

    private HttpRequestMessage Signed(NodeState peer, HttpMethod method, string path, byte[] body)
    {
        var uri = new Uri(new Uri(peer.Node.InternalUrl!), path);
        var request = new HttpRequestMessage(method, uri);
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = ClusterSignature.NewNonce();
        var signature = ClusterSignature.Compute(options.Value.Key!, method.Method, uri.PathAndQuery, peer.Name, seconds, nonce, body);
        request.Headers.Add(ClusterSignature.TimestampHeader, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ClusterSignature.NonceHeader, nonce);
        request.Headers.Add(ClusterSignature.SignatureHeader, signature);
        if (body.Length > 0 || method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return request;
    }

    private HttpClient Client() => httpClients.CreateClient(HttpClientName);

    [LoggerMessage(EventId = 3612, Level = LogLevel.Warning, Message = "Cluster node {Node} ({Url}) does not answer its snapshot ({Reason}); its sessions are left out until it does")]
    private static partial void LogPeerFailing(ILogger logger, string node, string url, string reason);

    [LoggerMessage(EventId = 3613, Level = LogLevel.Information, Message = "Cluster node {Node} answers again")]
    private static partial void LogPeerBack(ILogger logger, string node);
}
