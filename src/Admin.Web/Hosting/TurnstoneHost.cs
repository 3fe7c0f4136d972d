using Admin.Data;
using Admin.Web.Api;
using Admin.Web.Cli;
using Admin.Web.Cluster;
using Admin.Web.Live;
using Admin.Web.Telemetry;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Turn.Relay;

namespace Admin.Web.Hosting;

/// <summary>Builds the <c>serve</c> web application: admin data, portal, TURN relay.</summary>
public static class TurnstoneHost
{
    /// <summary>The portal's address unless Urls (or --urls, ASPNETCORE_URLS) says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplication CreateWebApplication(IReadOnlyList<string> configurationArgs)
    {
        var builder = WebApplication.CreateBuilder(CreateOptions(configurationArgs));
        // Serves _content/* (MudBlazor) from the build output outside Development too.
        builder.WebHost.UseStaticWebAssets();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);

        // Order matters only for hosted services: the database is migrated before the relay listens.
        builder.AddAdminDataOrExplain();
        builder.AddPortal();
        builder.AddForwardedHeaders();
        builder.AddApi();
        builder.AddTurnRelay();
        builder.AddRelayWiring();
        builder.AddTelemetry();
        builder.AddLiveRelay();
        builder.AddCluster();

        var app = builder.Build();
        app.UseForwardedHeadersWhenConfigured();
        app.UseTelemetry();
        app.MapPortal();
        app.MapApi();
        app.MapReadiness();
        app.MapLiveRelay();
        return app;
    }

    internal static WebApplicationOptions CreateOptions(IReadOnlyList<string> configurationArgs) => new()
    {
        Args = [.. configurationArgs],
        ApplicationName = typeof(Program).Assembly.GetName().Name,
        // appsettings.json sits beside the program; a test host may choose another content root.
        ContentRootPath = HasSetting(configurationArgs, HostDefaults.ContentRootKey) ? null : AppContext.BaseDirectory,
    };

    internal static bool HasSetting(IReadOnlyList<string> configurationArgs, string key) =>
        configurationArgs.Any(a => a.StartsWith($"--{key}=", StringComparison.OrdinalIgnoreCase));

    private static void AddAdminDataOrExplain(this WebApplicationBuilder builder)
    {
        try
        {
            builder.Services.AddAdminData(builder.Configuration);
        }
        catch (InvalidOperationException e)
        {
            // A missing or malformed connection string: the message says what to set.
            throw new CliException(e.Message, ExitCodes.Configuration);
        }
    }
}
