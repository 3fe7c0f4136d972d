using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Admin.E2E.Tests;

/// <summary>The real turnstone app (Program, 'serve') on real Kestrel at 127.0.0.1 on a free port.</summary>
public sealed class PortalFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    /// <summary>
    /// Stops the app as Ctrl-C would and waits until it has stopped, then disposes: the app's own run loop stops
    /// the host, so the factory's dispose does not race it with a second, concurrent stop.
    /// </summary>
    public async Task StopAndDisposeAsync()
    {
        var lifetime = Services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource();
        using (lifetime.ApplicationStopped.Register(() => stopped.TrySetResult()))
        {
            lifetime.StopApplication();
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        await DisposeAsync();
    }

    public static PortalFactory Start(IReadOnlyDictionary<string, string?> settings)
    {
        var factory = new PortalFactory(settings);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }
}
