using Admin.Data.Cluster;

namespace Admin.Web.Tests.Cluster;

/// <summary>Cluster options: the contract's defaults, and start-up refusals that name the key.</summary>
public sealed class ClusterOptionsTests
{
    private static string? Check(ClusterOptions options) => new ClusterOptionsValidator().Validate(null, options).FailureMessage;

    [Fact]
    public void Defaults_AreTheContracts_AndValid_ClusteringOff()
    {
        var options = new ClusterOptions();
        Assert.Equal(TimeSpan.FromSeconds(2), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.NodeDownAfter);
        Assert.Equal(TimeSpan.FromHours(1), options.NodeExpireAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(800), options.PeerTimeout);
        // The redirect switches are the engine's own (Relay:RedirectWhen*), on by default for serve as for relay-only hosts.
        Assert.True(new Turn.Relay.RelayOptions().RedirectWhenDraining);
        Assert.True(new Turn.Relay.RelayOptions().RedirectWhenFull);
        Assert.False(options.Enabled);
        Assert.Null(Check(options));
    }

    [Theory]
    [InlineData("short-key", "http://127.0.0.1:9650", "Cluster:Key")]
    [InlineData("0123456789abcdef0123456789abcdef", null, "Cluster:InternalUrl")]
    [InlineData("0123456789abcdef0123456789abcdef", "ftp://x", "Cluster:InternalUrl")]
    public void KeyAndUrl_Refused(string key, string? url, string named)
    {
        var error = Check(new ClusterOptions { Key = key, InternalUrl = url });
        Assert.NotNull(error);
        Assert.StartsWith(named, error);
    }

    [Fact]
    public void Ages_Refused_WhenInconsistent()
    {
        Assert.StartsWith("Cluster:NodeDownAfter", Check(new ClusterOptions { NodeDownAfter = TimeSpan.FromSeconds(2) }));
        Assert.StartsWith("Cluster:NodeExpireAfter", Check(new ClusterOptions { NodeExpireAfter = TimeSpan.FromSeconds(5) }));
        Assert.StartsWith("Cluster:HeartbeatInterval", Check(new ClusterOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(10) }));
        Assert.StartsWith("Cluster:PeerTimeout", Check(new ClusterOptions { PeerTimeout = TimeSpan.FromMinutes(1) }));
        Assert.Null(Check(new ClusterOptions { Key = "0123456789abcdef0123456789abcdef", InternalUrl = "http://198.18.7.2:9650" }));
    }
}
