using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turn.Relay.Tls;

/// <summary>
/// Reloads the TLS certificate files without a restart: a poll of their stamps every
/// Relay:TlsReloadIntervalSeconds (a certbot renewal replaces the files, or the symbolic links to them), and SIGHUP
/// (a certbot deploy hook: <c>systemctl kill -s HUP turnstone</c>) reads them all again. With TLS off nothing is
/// polled, but SIGHUP is still taken (and only logged), so a reload (systemd's ExecReload) never ends the process.
/// </summary>
internal sealed partial class TlsCertificateReloader(TlsCertificateProvider provider, IOptions<RelayOptions> options, TimeProvider time,
    ILogger<TlsCertificateReloader> logger) : IHostedService, IDisposable
{
    private readonly Lock _lock = new();
    private ITimer? _poll;
    private PosixSignalRegistration? _hangUp;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var relay = options.Value;
        lock (_lock)
        {
            if (relay.TlsPort != 0 && relay.TlsReloadIntervalSeconds > 0 && provider.HasConfiguredFiles)
            {
                var interval = TimeSpan.FromSeconds(relay.TlsReloadIntervalSeconds);
                _poll = time.CreateTimer(_ => Poll(), null, interval, interval);
            }
            if (!OperatingSystem.IsWindows())
            {
                // Handled here, so SIGHUP no longer ends the process (its default action).
                _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
                {
                    context.Cancel = true;
                    ThreadPool.QueueUserWorkItem(static state => state.OnHangUp(), this, preferLocal: false);
                });
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>What SIGHUP runs: every configured certificate file is read again.</summary>
    internal void OnHangUp()
    {
        if (options.Value.TlsPort == 0)
        {
            LogHangUpWithoutTls(logger);
            return;
        }
        LogHangUp(logger);
        provider.Reload();
    }

    private void Poll() => provider.CheckForChanges();

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _poll?.Dispose();
            _poll = null;
            _hangUp?.Dispose();
            _hangUp = null;
        }
    }

    [LoggerMessage(EventId = 1309, Level = LogLevel.Information, Message = "SIGHUP: reading the TLS certificate files again")]
    private static partial void LogHangUp(ILogger logger);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "SIGHUP: TLS is off (Relay:TlsPort 0), nothing to reload")]
    private static partial void LogHangUpWithoutTls(ILogger logger);
}
