using System.Text.Json;
using Admin.E2E.Tests.Relay;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Import;

/// <summary>
/// The live verbs (session list/terminate-user, relay drain/status/resume) as an operator runs them: the turnstone
/// program as a child process, calling the served node's JSON API with a token from --token-file or TURNSTONE_API_TOKEN.
/// </summary>
[Collection(CoturnImportCollection.Name)]
public sealed class LiveCliVerbsTests(CoturnImportedServer fixture)
{
    [Fact]
    public async Task SessionListAndTerminateUser_ThenDrainAndResume_ThroughTheApi()
    {
        var server = fixture.Server;
        var tokenFile = Path.Combine(Path.GetTempPath(), $"turnstone-token-{Guid.NewGuid():N}");
        var token = (await server.Cli.RunOkAsync("token", "add", "--user", "admin", "--label", "live cli verbs")).Trim();
        await File.WriteAllTextAsync(tokenFile, token + "\n");
        var api = new[] { "--server", server.BaseAddress.ToString(), "--token-file", tokenFile };
        await using var peer = await TurnutilsPeer.StartAsync();
        using var hold = await AioiceHoldSession.StartAsync(
            fixture.Target(ClientTransport.Udp, CoturnImportedServer.DatabaseUser, CoturnImportedServer.DatabasePassword), "127.0.0.1", peer.Port, TimeSpan.FromSeconds(40),
            refreshInterval: TimeSpan.FromSeconds(1));
        try
        {
            // The live snapshot is taken once a second: wait until the allocation is listed.
            JsonElement sessions = default;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                sessions = JsonDocument.Parse(await server.Cli.RunOkAsync(["session", "list", "--json", "--realm", CoturnImportedServer.Realm, .. api])).RootElement;
                if (sessions.GetArrayLength() > 0) break;
                await Task.Delay(250);
            }
            Assert.Equal(CoturnImportedServer.DatabaseUser, sessions[0].GetProperty("user").GetString());
            var text = await server.Cli.RunOkAsync(["session", "list", .. api]);
            Assert.Contains($"\t{CoturnImportedServer.Realm}\t{CoturnImportedServer.DatabaseUser}\tudp\t", text);

            var ended = await server.Cli.RunOkAsync(["session", "terminate-user", "--realm", CoturnImportedServer.Realm, "--user", CoturnImportedServer.DatabaseUser, .. api]);
            Assert.Contains("Terminated 1 allocation(s)", ended);
            // The client learns it at its next Refresh (every second).
            var holdResult = await hold.WaitAsync();
            Assert.Equal(437, holdResult.RefreshError);

            var drained = await server.Cli.RunOkAsync(["relay", "drain", .. api]);
            // The token from the environment instead of a file.
            var status = await ExternalProcess.RunAsync(TurnstoneCommandLine.ProgramPath, ["relay", "status", "--json", "--server", server.BaseAddress.ToString()],
                TimeSpan.FromSeconds(60), environment: new Dictionary<string, string> { ["TURNSTONE_API_TOKEN"] = token, ["Logging__LogLevel__Default"] = "Warning" });
            var refused = await AioiceTurnClient.RelayAsync(
                fixture.Target(ClientTransport.Udp, CoturnImportedServer.DatabaseUser, CoturnImportedServer.DatabasePassword), "127.0.0.1", peer.Port, channelMessages: 1, timeout: TimeSpan.FromSeconds(15));
            var resumed = await server.Cli.RunOkAsync(["relay", "resume", .. api]);

            Assert.StartsWith("draining", drained);
            Assert.True(status.ExitCode == 0, status.Output);
            Assert.True(JsonDocument.Parse(status.StandardOutput).RootElement.GetProperty("draining").GetBoolean(), status.Output);
            Assert.False(refused.Ok, refused.Output);
            Assert.Equal("allocate", refused.Step);
            Assert.StartsWith("accepting", resumed);

            var badToken = await ExternalProcess.RunAsync(TurnstoneCommandLine.ProgramPath, ["relay", "status", "--server", server.BaseAddress.ToString()],
                TimeSpan.FromSeconds(60), environment: new Dictionary<string, string> { ["TURNSTONE_API_TOKEN"] = "tst_not-a-token" });
            Assert.NotEqual(0, badToken.ExitCode);
            Assert.Contains("401", badToken.StandardError);
        }
        finally
        {
            await server.Cli.RunAsync(["relay", "resume", .. api]);
            File.Delete(tokenFile);
        }
    }
}
