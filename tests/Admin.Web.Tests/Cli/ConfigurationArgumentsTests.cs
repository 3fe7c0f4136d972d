using Admin.Web.Cli;

namespace Admin.Web.Tests.Cli;

public sealed class ConfigurationArgumentsTests
{
    private static readonly IReadOnlySet<string> VerbOptions = new HashSet<string> { "--realm", "-r", "--user", "-u", "--password", "-p" };

    [Fact]
    public void Split_SectionKeyOverrides_GoToConfigurationAndVerbKeepsItsOptions()
    {
        var split = ConfigurationArguments.Split(
            ["user", "add", "--ConnectionStrings:Admin=Host=db;Password=x", "--realm", "example.org", "--Portal:Login:MaxFailedAttempts", "3", "--user", "alice"],
            VerbOptions);

        Assert.Equal(["--ConnectionStrings:Admin=Host=db;Password=x", "--Portal:Login:MaxFailedAttempts=3"], split.Configuration);
        Assert.Equal(["user", "add", "--realm", "example.org", "--user", "alice"], split.Verb);
    }

    [Fact]
    public void Split_HostKeys_GoToConfigurationInBothForms()
    {
        var split = ConfigurationArguments.Split(["--urls", "http://127.0.0.1:45001", "--environment=Development", "serve"], VerbOptions);

        Assert.Equal(["--urls=http://127.0.0.1:45001", "--environment=Development"], split.Configuration);
        Assert.Equal(["serve"], split.Verb);
    }

    [Fact]
    public void Split_DoubleUnderscoreKey_IsConfiguration()
    {
        var split = ConfigurationArguments.Split(["--ConnectionStrings__Admin=Host=x", "migrate"], VerbOptions);

        Assert.Equal(["--ConnectionStrings__Admin=Host=x"], split.Configuration);
        Assert.Equal(["migrate"], split.Verb);
    }

    [Fact]
    public void Split_OverrideWithoutValue_IsAUsageError()
    {
        var error = Assert.Throws<CliException>(() => ConfigurationArguments.Split(["migrate", "--Turnstone:DataDirectory"], VerbOptions));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("--Turnstone:DataDirectory=VALUE", error.Message);
    }

    [Fact]
    public void Split_VerbOptionValuesContainingColons_StayWithTheVerb()
    {
        var split = ConfigurationArguments.Split(["user", "add", "--password", "a:b=c", "--realm", "r"], VerbOptions);

        Assert.Empty(split.Configuration);
        Assert.Equal(["user", "add", "--password", "a:b=c", "--realm", "r"], split.Verb);
    }

    [Fact]
    public void Split_KeyValueForAnUnknownKey_IsConfigurationButAVerbOptionIsNot()
    {
        var split = ConfigurationArguments.Split(["user", "add", "--realm=example.org", "--TURNSTONE_ADMIN_PASSWORD=pw", "--Turnstone="], VerbOptions);

        Assert.Equal(["--TURNSTONE_ADMIN_PASSWORD=pw", "--Turnstone="], split.Configuration);
        Assert.Equal(["user", "add", "--realm=example.org"], split.Verb);
    }
}
