using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Admin.E2E.Tests.Hosting;

/// <summary>The real turnstone app (Program, 'serve') on real Kestrel at 127.0.0.1 on a free port.</summary>
public sealed class PortalFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Every host states its metrics port: left to the default, parallel test hosts would all bind 127.0.0.1:9641.
        if (!settings.Keys.Any(k => string.Equals(k, "Metrics:Port", StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException("Test hosts must set Metrics:Port (0 = off, or a free port for a metrics test).", nameof(settings));
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

    /// <param name="settings">The app's configuration.</param>
    /// <param name="appConfiguresKestrel">
    /// False: the test binds Kestrel to 127.0.0.1 on a free port. True: Kestrel as the app configures it from its
    /// settings (Urls, the metrics listener), as an operator runs it.
    /// </param>
    public static PortalFactory Start(IReadOnlyDictionary<string, string?> settings, bool appConfiguresKestrel = false)
    {
        var factory = new PortalFactory(settings);
        if (appConfiguresKestrel) factory.UseKestrel();
        else factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }
}
