using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admin.E2E.Tests.Api;
using Admin.E2E.Tests.Sessions;
using Admin.Web.Cluster;
using Turn.Relay.Seams;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// The cluster through one node's API, with two real nodes on one database: the registry, sessions held on the other
/// node listed with their node and ended from here (the client then gets 437), drain of the other node (audited
/// here, naming it), and a node whose internal endpoint stops answering listed as unavailable, never a failed request.
/// </summary>
[Collection(TwoNodeClusterCollection.Name)]
public sealed class ClusterApiTests(TwoNodeClusterFixture cluster)
{
    [Fact]
    public async Task Nodes_ListsBoth_Up_WithSelf_Addresses_AndVersion()
    {
        using var api = await cluster.ApiClientAsync(cluster.Alpha);
        var nodes = await api.GetFromJsonAsync<JsonElement>("api/v1/nodes");
        var byName = nodes.EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        Assert.Equal(["alpha", "beta"], byName.Keys.Order());
        Assert.True(byName["alpha"].GetProperty("self").GetBoolean());
        Assert.False(byName["beta"].GetProperty("self").GetBoolean());
        Assert.All(byName.Values, n => Assert.Equal("up", n.GetProperty("state").GetString()));
        Assert.All(byName.Values, n => Assert.Equal(BuildInfo.Version, n.GetProperty("version").GetString()));
        Assert.Equal($"127.0.0.1:{cluster.Beta.TurnPort}", byName["beta"].GetProperty("turn").GetProperty("udp")[0].GetString());
        Assert.Equal(JsonValueKind.Null, byName["beta"].GetProperty("certificateExpiry").ValueKind);
    }

    [Fact]
    public async Task Sessions_OnTheOtherNode_ListedWithNode_FilteredByNode_EndedFromHere_Audited()
    {
        using var api = await cluster.ApiClientAsync(cluster.Alpha);
        using var client = await AioiceHoldSession.StartAsync(cluster.Target(cluster.Beta, "ann"), "127.0.0.1", cluster.Peer.Port, TimeSpan.FromSeconds(60));
        Assert.True(client.IsRunning, "aioice did not get its allocation up on beta");

        JsonElement session = default;
        await Eventually.HoldsAsync(async () =>
        {
            var page = await api.GetFromJsonAsync<JsonElement>("api/v1/sessions?user=ann");
            if (page.GetProperty("totalCount").GetInt32() != 1) return false;
            session = page.GetProperty("items")[0];
            return true;
        }, () => "alpha's sessions API never listed ann's allocation held on beta");
        Assert.Equal("beta", session.GetProperty("node").GetString());
        var id = session.GetProperty("id").GetString()!;
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("api/v1/sessions?user=ann&node=alpha")).GetProperty("totalCount").GetInt32());
        Assert.Equal(1, (await api.GetFromJsonAsync<JsonElement>("api/v1/sessions?user=ann&node=beta")).GetProperty("totalCount").GetInt32());
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>("api/v1/sessions")).GetProperty("unavailableNodes").EnumerateArray());

        // Not on alpha: the old single-node route answers 404, the node-addressed one ends it on beta.
        await Problem.AssertAsync(await api.DeleteAsync($"api/v1/sessions/{id}"), HttpStatusCode.NotFound, "NotFound");
        var ended = await api.DeleteAsync($"api/v1/sessions/beta/{id}");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var result = await ended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("terminated").GetInt32());
        Assert.True(result.GetProperty("audited").GetBoolean());
        var held = await client.WaitAsync();
        Assert.True(held.Ok, held.Output);
        Assert.Equal(437, held.RefreshError);
        var audit = Assert.Single(await cluster.AuditDetailsAsync("session.terminate", id));
        Assert.Equal("beta", JsonDocument.Parse(audit).RootElement.GetProperty("node").GetString());
        await Problem.AssertAsync(await api.DeleteAsync($"api/v1/sessions/beta/{id}"), HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task TerminateUser_EndsOnEveryNode_CountsPerNode()
    {
        using var api = await cluster.ApiClientAsync(cluster.Beta);
        using var onAlpha = await AioiceHoldSession.StartAsync(cluster.Target(cluster.Alpha, "ben"), "127.0.0.1", cluster.Peer.Port, TimeSpan.FromSeconds(60));
        using var onBeta = await AioiceHoldSession.StartAsync(cluster.Target(cluster.Beta, "ben"), "127.0.0.1", cluster.Peer.Port, TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(async () =>
            (await api.GetFromJsonAsync<JsonElement>("api/v1/sessions?user=ben")).GetProperty("totalCount").GetInt32() == 2,
            () => "beta never listed ben's two allocations");

        var response = await api.DeleteAsync($"api/v1/realms/{TwoNodeClusterFixture.Realm}/users/ben/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("terminated").GetInt32());
        Assert.Equal(1, result.GetProperty("nodes").GetProperty("alpha").GetInt32());
        Assert.Equal(1, result.GetProperty("nodes").GetProperty("beta").GetInt32());
        Assert.Equal(437, (await onAlpha.WaitAsync()).RefreshError);
        Assert.Equal(437, (await onBeta.WaitAsync()).RefreshError);
        var audit = JsonDocument.Parse(Assert.Single(await cluster.AuditDetailsAsync("session.terminate-user", "ben"))).RootElement;
        Assert.Equal(2, audit.GetProperty("allocations").GetInt32());
    }

    [Fact]
    public async Task DrainOtherNode_FromHere_Audited_SeenInRegistry_ThenResumed()
    {
        using var api = await cluster.ApiClientAsync(cluster.Alpha);
        var betaControl = cluster.Beta.Get<IRelayControl>();
        try
        {
            var drained = await (await api.PostAsync("api/v1/nodes/beta/drain", null)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("beta", drained.GetProperty("node").GetString());
            Assert.True(drained.GetProperty("draining").GetBoolean());
            Assert.True(drained.GetProperty("audited").GetBoolean());
            Assert.True(betaControl.IsDraining);
            Assert.False(cluster.Alpha.Get<IRelayControl>().IsDraining);
            var again = await (await api.PostAsync("api/v1/nodes/beta/drain", null)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(JsonValueKind.Null, again.GetProperty("audited").ValueKind);
            await Eventually.HoldsAsync(async () =>
                (await api.GetFromJsonAsync<JsonElement>("api/v1/nodes")).EnumerateArray().Single(n => n.GetProperty("name").GetString() == "beta").GetProperty("draining").GetBoolean(),
                () => "the registry never showed beta draining");
            var audit = JsonDocument.Parse((await cluster.AuditDetailsAsync(ClusterCommands.DrainAction, "beta"))[^1]).RootElement;
            Assert.Equal("beta", audit.GetProperty("node").GetString());

            var resumed = await (await api.DeleteAsync("api/v1/nodes/beta/drain")).Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(resumed.GetProperty("draining").GetBoolean());
            Assert.False(betaControl.IsDraining);
            await Problem.AssertAsync(await api.PostAsync("api/v1/nodes/nowhere/drain", null), HttpStatusCode.NotFound, "NotFound");
        }
        finally
        {
            betaControl.Resume();
        }
    }

    [Fact]
    public async Task PeerStopsAnswering_ListedUnavailable_PageStillServed_CommandsAnswer503()
    {
        using var api = await cluster.ApiClientAsync(cluster.Alpha);
        var betaInternal = cluster.Beta.Get<InternalEndpointServer>();
        await betaInternal.StopAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                var page = await api.GetFromJsonAsync<JsonElement>("api/v1/sessions");
                return page.GetProperty("unavailableNodes").EnumerateArray().Any(n => n.GetString() == "beta");
            }, () => "alpha never listed beta as unavailable");
            var started = DateTime.UtcNow;
            var response = await api.PostAsync("api/v1/nodes/beta/drain", null);
            await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, "NodeUnavailable");
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        }
        finally
        {
            await betaInternal.DisposeAsync();
            await betaInternal.StartAsync(CancellationToken.None);
        }
        // Beta comes back under a new port: the next heartbeat advertises it and alpha reaches it again.
        await Eventually.HoldsAsync(async () =>
            (await api.GetFromJsonAsync<JsonElement>("api/v1/sessions")).GetProperty("unavailableNodes").GetArrayLength() == 0,
            () => "alpha never reached beta again");
    }

    [Fact]
    public async Task InternalEndpoint_RefusesUnsigned_AndIsNotOnThePortal()
    {
        var url = cluster.Beta.Get<InternalEndpointServer>().AdvertisedUrl!;
        using var raw = new HttpClient { BaseAddress = new Uri(url) };
        var unsigned = await raw.GetAsync("internal/v1/snapshot");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("", await unsigned.Content.ReadAsStringAsync());
        var forged = new HttpRequestMessage(HttpMethod.Post, "internal/v1/drain");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        forged.Headers.Add(ClusterSignature.TimestampHeader, now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        forged.Headers.Add(ClusterSignature.NonceHeader, "n1");
        forged.Headers.Add(ClusterSignature.SignatureHeader, ClusterSignature.Compute("not-the-key-not-the-key-not-the-key!", "POST", "/internal/v1/drain", "beta", now, "n1", []));
        Assert.Equal(HttpStatusCode.Unauthorized, (await raw.SendAsync(forged)).StatusCode);
        Assert.False(cluster.Beta.Get<IRelayControl>().IsDraining);

        // A correctly signed command is accepted once; the same request again is a replay.
        HttpRequestMessage Signed()
        {
            var request = new HttpRequestMessage(HttpMethod.Delete, "internal/v1/drain");
            request.Headers.Add(ClusterSignature.TimestampHeader, now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(ClusterSignature.NonceHeader, "n2");
            request.Headers.Add(ClusterSignature.SignatureHeader, ClusterSignature.Compute(TwoNodeClusterFixture.Key, "DELETE", "/internal/v1/drain", "beta", now, "n2", []));
            request.Content = new ByteArrayContent([]);
            return request;
        }
        Assert.Equal(HttpStatusCode.OK, (await raw.SendAsync(Signed())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await raw.SendAsync(Signed())).StatusCode);

        // The portal's own listener has no internal routes: it treats the path as a page needing sign-in.
        using var portal = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = cluster.Beta.BaseAddress };
        Assert.NotEqual(HttpStatusCode.OK, (await portal.GetAsync("internal/v1/snapshot")).StatusCode);
    }
}
