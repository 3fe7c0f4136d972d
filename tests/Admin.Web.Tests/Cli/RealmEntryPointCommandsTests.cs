using Admin.Web.Cli;

namespace Admin.Web.Tests.Cli;

/// <summary>realm host-name / origin verbs against a real PostgreSQL: stored forms, listing, and refusals with their exit codes.</summary>
public sealed class RealmEntryPointCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static string NewRealm() => $"r{Guid.NewGuid().ToString("N")[..10]}.example.org";

    private Task<CliResult> Run(params string[] args) => CliRunner.RunWithDatabaseAsync(database.ConnectionString, args);

    [Fact]
    public async Task HostName_AddListRemove_StoredInLowerCase()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);

        var add = await Run("realm", "host-name", "add", "--realm", realm, "--host-name", $"TURN.{realm}.");
        var list = await Run("realm", "host-name", "list", "--realm", realm);
        var remove = await Run("realm", "host-name", "remove", "--realm", realm, "--host-name", $"turn.{realm}");
        var empty = await Run("realm", "host-name", "list", "--realm", realm);

        Assert.True(add.ExitCode == ExitCodes.Ok, add.ToString());
        Assert.Contains($"'turn.{realm}'", add.Out);
        Assert.Equal($"turn.{realm}", list.Out.Trim());
        Assert.True(remove.ExitCode == ExitCodes.Ok, remove.ToString());
        Assert.Equal("", empty.Out.Trim());
    }

    [Fact]
    public async Task HostName_TakenByAnotherRealm_OrWildcard_Refused()
    {
        var a = NewRealm();
        var b = NewRealm();
        await Run("realm", "add", "--realm", a);
        await Run("realm", "add", "--realm", b);
        await Run("realm", "host-name", "add", "--realm", a, "--host-name", $"turn.{a}");

        var taken = await Run("realm", "host-name", "add", "--realm", b, "--host-name", $"turn.{a}");
        var wildcard = await Run("realm", "host-name", "add", "--realm", b, "--host-name", $"*.{b}");

        Assert.Equal(ExitCodes.Duplicate, taken.ExitCode);
        Assert.NotEqual(ExitCodes.Ok, wildcard.ExitCode);
        Assert.Contains("Wildcard", wildcard.Error);
    }

    [Fact]
    public async Task Origin_AddListRemove_StoredAsCoturnStoresIt()
    {
        var realm = NewRealm();
        await Run("realm", "add", "--realm", realm);

        var add = await Run("realm", "origin", "add", "--realm", realm, "--origin", $"https://App.{realm}");
        var list = await Run("realm", "origin", "list", "--realm", realm);
        var remove = await Run("realm", "origin", "remove", "--realm", realm, "--origin", $"https://app.{realm}");

        Assert.True(add.ExitCode == ExitCodes.Ok, add.ToString());
        Assert.Equal($"https://app.{realm}:443", list.Out.Trim());
        Assert.True(remove.ExitCode == ExitCodes.Ok, remove.ToString());
    }
}
