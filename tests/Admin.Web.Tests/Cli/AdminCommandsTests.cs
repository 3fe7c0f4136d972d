using Admin.Web.Cli;
using Npgsql;

namespace Admin.Web.Tests.Cli;

public sealed class AdminCommandsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task AdminAdd_ThenDuplicate_SecondFailsAndChangesNothing()
    {
        var name = "op" + Guid.NewGuid().ToString("N")[..8];

        var first = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "add", "--user", name, "--password", "first-password");
        var hashAfterFirst = await PasswordHashAsync(name);
        var second = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "add", "--user", name, "--password", "other-password");

        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Equal(ExitCodes.Duplicate, second.ExitCode);
        Assert.Contains("already exists", second.Error);
        Assert.Equal(hashAfterFirst, await PasswordHashAsync(name));
    }

    [Fact]
    public async Task AdminList_ShowsAddedAdminAsSuperuser()
    {
        var name = "op" + Guid.NewGuid().ToString("N")[..8];
        await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "add", "--user", name, "--password", "first-password");

        var list = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "list");

        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        Assert.Contains($"{name}\t*\tnever", list.Out);
    }

    [Fact]
    public async Task AdminDelete_Unknown_IsNotFound()
    {
        var result = await CliRunner.RunWithDatabaseAsync(database.ConnectionString, "admin", "delete", "--user", "nobody-here");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
    }

    private async Task<string?> PasswordHashAsync(string name)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT password FROM admin_user WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (string?)await command.ExecuteScalarAsync();
    }
}
