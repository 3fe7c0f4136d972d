using Admin.Web.Telemetry;

namespace Admin.Web.Tests.Telemetry;

public sealed class MetricsOptionsTests
{
    [Fact]
    public void Defaults_AreValid_9641OnLoopback()
    {
        var options = new MetricsOptions();
        Assert.Null(options.Validate());
        Assert.Equal("http://127.0.0.1:9641", options.ListenUrl);
        Assert.Equal("/metrics", options.Path);
    }

    [Theory]
    [InlineData(-1, "/metrics", "127.0.0.1", null, "Metrics:Port")]
    [InlineData(70000, "/metrics", "127.0.0.1", null, "Metrics:Port")]
    [InlineData(9641, "metrics", "127.0.0.1", null, "Metrics:Path")]
    [InlineData(9641, "/me trics", "127.0.0.1", null, "Metrics:Path")]
    [InlineData(9641, "/metrics", "localhost-ish", null, "Metrics:ListenAddress")]
    [InlineData(9641, "/metrics", "127.0.0.1", "short", "Metrics:BearerToken")]
    [InlineData(9641, "/metrics", "127.0.0.1", null, "Metrics:CardinalityLimit", 9)]
    [InlineData(0, "/metrics", "127.0.0.1", null, "Metrics:CardinalityLimit", 100_001)]
    public void Validate_Bad_NamesTheKey(int port, string path, string address, string? token, string key, int cardinalityLimit = 500)
    {
        var error = new MetricsOptions { Port = port, Path = path, ListenAddress = address, BearerToken = token, CardinalityLimit = cardinalityLimit }.Validate();
        Assert.NotNull(error);
        Assert.Contains(key, error);
    }

    [Fact]
    public void PortZero_TurnsOff_OtherSettingsIgnored()
    {
        Assert.Null(new MetricsOptions { Port = 0, Path = "bad" }.Validate());
        Assert.Null(new MetricsOptions { BearerToken = "" }.Validate()); // an empty environment variable means none
        Assert.Equal("http://[::]:9642", new MetricsOptions { Port = 9642, ListenAddress = "::" }.ListenUrl);
    }
}
