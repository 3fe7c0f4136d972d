using Admin.Web.Cli;

namespace Admin.Web.Tests.Cli;

/// <summary>Verbs and failures that need no database.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task UserKey_CoturnSample_PrintsCoturnsKey()
    {
        var result = await CliRunner.RunAsync("user", "key", "--user", "gorst", "--realm", "north.gov", "--password", "hero");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", result.Out.Trim());
    }

    [Fact]
    public async Task DataVerb_DatabaseDown_FailsWithTargetButNoPassword()
    {
        // Nothing listens on this port (from this project's range) while the tests run.
        var connectionString = "Host=127.0.0.1;Port=45999;Database=turnstone_missing;Username=tester;Password=Sup3rS3cretPw;Timeout=5";

        var result = await CliRunner.RunWithDatabaseAsync(connectionString, "admin", "list");

        Assert.Equal(ExitCodes.DatabaseUnavailable, result.ExitCode);
        Assert.Contains("127.0.0.1", result.Error);
        Assert.Contains("45999", result.Error);
        Assert.Contains("turnstone_missing", result.Error);
        Assert.DoesNotContain("Sup3rS3cretPw", result.Error + result.Out);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Serve_DatabaseDown_FailsWithOneLineNamingTheTarget()
    {
        var connectionString = "Host=127.0.0.1;Port=45999;Database=turnstone_missing;Username=tester;Password=Sup3rS3cretPw;Timeout=5";

        var result = await CliRunner.RunWithDatabaseAsync(connectionString, "serve", "--urls=http://127.0.0.1:0", "--Metrics:Port=0", "--Logging:LogLevel:Default=None");

        Assert.Equal(ExitCodes.DatabaseUnavailable, result.ExitCode);
        Assert.Contains("port 45999", result.Error);
        Assert.DoesNotContain("Sup3rS3cretPw", result.Error + result.Out);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task DataVerb_NoConnectionString_ExplainsWhatToSet()
    {
        var result = await CliRunner.RunAsync("admin", "list", "--ConnectionStrings:Admin=");

        Assert.Equal(ExitCodes.Configuration, result.ExitCode);
        Assert.Contains("ConnectionStrings:Admin", result.Error);
    }

    [Fact]
    public async Task UnknownVerb_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("frobnicate", result.Error);
    }

    [Fact]
    public async Task MissingRequiredOption_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("user", "key", "--user", "gorst");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--realm", result.Error);
    }
}
