using Turn.Protocol;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Import;

/// <summary>
/// Issue 15's "done when": users and secrets imported from coturn's own files relay with real clients (aioice,
/// turnutils_uclient) through a served turnstone on the imported database.
/// </summary>
[Collection(CoturnImportCollection.Name)]
public sealed class CoturnImportRelayTests(CoturnImportedServer fixture)
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ImportedLongTermUsers_FromTurndbAndConf_RelayWithAioice()
    {
        Assert.Contains("+ alice@coturn.relay.test", fixture.ImportReport);
        await using var peer = await TurnutilsPeer.StartAsync();

        var fromDatabase = await AioiceTurnClient.RelayAsync(
            fixture.Target(ClientTransport.Udp, CoturnImportedServer.DatabaseUser, CoturnImportedServer.DatabasePassword), "127.0.0.1", peer.Port, channelMessages: 3, timeout: ClientTimeout);
        var fromConfig = await AioiceTurnClient.RelayAsync(
            fixture.Target(ClientTransport.Tcp, CoturnImportedServer.ConfigUser, CoturnImportedServer.ConfigPassword), "127.0.0.1", peer.Port, channelMessages: 3, timeout: ClientTimeout);
        var wrongPassword = await AioiceTurnClient.RelayAsync(
            fixture.Target(ClientTransport.Udp, CoturnImportedServer.DatabaseUser, "not-the-password"), "127.0.0.1", peer.Port, channelMessages: 1, timeout: ClientTimeout);

        Assert.True(fromDatabase.Ok, fromDatabase.Output);
        Assert.Equal(CoturnImportedServer.Realm, fromDatabase.Realm);
        Assert.Equal(3, fromDatabase.ChannelMessagesEchoed);
        Assert.True(fromConfig.Ok, fromConfig.Output);
        Assert.Equal(3, fromConfig.ChannelMessagesEchoed);
        // The control: the relay checks the imported key, it does not let anyone in.
        Assert.False(wrongPassword.Ok, wrongPassword.Output);
        Assert.Equal("allocate", wrongPassword.Step);
    }

    [Fact]
    public async Task ImportedSecrets_FromTurndbAndConf_SignTurnRestCredentials_ThatUclientAndAioiceRelayWith()
    {
        await using var peer = await TurnutilsPeer.StartAsync();
        var username = $"{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}:rest-user";

        var uclient = await TurnutilsUclient.RunAsync(
            fixture.Target(ClientTransport.Udp, username, TurnRestCredential.ComputePassword(CoturnImportedServer.DatabaseSecret, username)),
            new UclientOptions { Messages = 5, PeerPort = peer.Port, Timeout = TimeSpan.FromSeconds(30) });
        var aioice = await AioiceTurnClient.RelayAsync(
            fixture.Target(ClientTransport.Udp, username, TurnRestCredential.ComputePassword(CoturnImportedServer.ConfigSecret, username)),
            "127.0.0.1", peer.Port, channelMessages: 3, timeout: ClientTimeout);
        var unknownSecret = await AioiceTurnClient.RelayAsync(
            fixture.Target(ClientTransport.Udp, username, TurnRestCredential.ComputePassword("never-imported", username)),
            "127.0.0.1", peer.Port, channelMessages: 1, timeout: ClientTimeout);

        Assert.True(uclient.IsZeroLoss(5), uclient.ToString());
        Assert.True(aioice.Ok, aioice.Output);
        Assert.Equal(3, aioice.ChannelMessagesEchoed);
        Assert.False(unknownSecret.Ok, unknownSecret.Output);
    }
}
