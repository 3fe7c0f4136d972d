using Admin.Web.Hosting;

namespace Admin.Web.Tests.Hosting;

/// <summary>Forwarded headers are off unless a proxy is named, and names are checked at start.</summary>
public sealed class ProxyOptionsTests
{
    [Fact]
    public void Default_IsOff() => Assert.False(new ProxyOptions().Enabled);

    [Theory]
    [InlineData("10.0.0.1", null, null)]
    [InlineData("proxy.example", null, "Portal:Proxy:KnownProxies")]
    [InlineData(null, "172.16.0.0/12", null)]
    [InlineData(null, "172.16.0.0/33", "Portal:Proxy:KnownNetworks")]
    public void Validate_NamesTheBadKey(string? proxy, string? network, string? error)
    {
        var options = new ProxyOptions();
        if (proxy is not null) options.KnownProxies.Add(proxy);
        if (network is not null) options.KnownNetworks.Add(network);

        Assert.True(options.Enabled);
        var message = new ProxyOptionsValidator().Validate(null, options);
        if (error is null) Assert.True(message.Succeeded);
        else Assert.Contains(error, message.FailureMessage);
    }
}
