using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Tls;

/// <summary>
/// The TURNS certificates: the default one from Relay:TlsCertificatePath + Relay:TlsKeyPath when set, otherwise a
/// self-signed ECDSA P-256 certificate generated at first start and kept as PEM under Relay:TlsGeneratedDirectory
/// (regenerated when it is about to expire or unreadable); and one per Relay:TlsCertificates entry, picked by SNI.
/// Configured files are read again when they change (<see cref="CheckForChanges"/>, polled by
/// <see cref="TlsCertificateReloader"/>) or on request (<see cref="Reload"/>, on SIGHUP): the next handshake presents
/// the new certificate, live connections keep their session, and a file that does not load keeps the old certificate.
/// Problems at start surface as <see cref="InvalidOperationException"/> naming the configuration key.
/// </summary>
internal sealed partial class TlsCertificateProvider : ITlsCertificateSource, ITlsCertificateStatus, ITlsServerCertificates, IDisposable
{
    public const string GeneratedCertificateFileName = "turnstone-selfsigned.crt.pem";
    public const string GeneratedKeyFileName = "turnstone-selfsigned.key.pem";

    /// <summary>A generated certificate this close to expiry is replaced at start.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly RelayOptions _options;
    private readonly ILogger<TlsCertificateProvider> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    // Configured file pairs (the default first when configured), each with what was loaded from it and the stamp
    // last seen; changed under _lock only. The published set is immutable.
    private readonly List<TlsCertificateSlot> _slots = [];
    private TlsCertificateSet? _set;
    private TlsCertificate? _generated;

    public TlsCertificateProvider(IOptions<RelayOptions> options, ILogger<TlsCertificateProvider> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The certificates presented now; loaded or generated on first use (the TLS listener's start).</summary>
    public TlsCertificateSet Current => Volatile.Read(ref _set) ?? Load();

    /// <summary>The default certificate.</summary>
    public TlsCertificate GetCertificate() => Current.Default;

    /// <inheritdoc />
    public X509Certificate2 GetServerCertificate() => GetCertificate().Certificate;

    /// <inheritdoc />
    public SslStreamCertificateContext GetServerCertificateContext() => GetCertificate().Context;

    /// <inheritdoc />
    public SslServerAuthenticationOptions GetServerOptions(string? serverName) => Current.GetServerOptions(serverName);

    /// <summary>The certificates presented now; empty when TLS is off (Relay:TlsPort 0) or they could not be loaded.</summary>
    public IReadOnlyList<TlsCertificateInfo> Certificates
    {
        get
        {
            if (_options.TlsPort == 0) return [];
            try
            {
                return Current.Infos;
            }
            catch (InvalidOperationException)
            {
                // Start-up reports it; the status has nothing to show.
                return [];
            }
        }
    }

    /// <summary>True when any configured file can change (the poll has something to watch).</summary>
    public bool HasConfiguredFiles => _options.HasTlsCertificate || _options.TlsCertificates.Count > 0;

    /// <summary>Loads the files whose stamp changed since they were last read. True when a certificate was replaced.</summary>
    public bool CheckForChanges() => Refresh(force: false);

    /// <summary>Loads every configured file again (SIGHUP). True when a certificate was replaced.</summary>
    public bool Reload() => Refresh(force: true);

    public void Dispose()
    {
        lock (_lock)
        {
            _generated?.Dispose();
            foreach (var slot in _slots) slot.Certificate?.Dispose();
        }
    }

    private TlsCertificateSet Load()
    {
        lock (_lock)
        {
            if (_set is { } loaded) return loaded;
            // A failed earlier attempt (it threw) starts over.
            _slots.Clear();
            if (_options.HasTlsCertificate)
            {
                var certificatePath = _options.TlsCertificatePath ?? throw Missing("Relay:TlsCertificatePath", "Relay:TlsKeyPath");
                var keyPath = _options.TlsKeyPath ?? throw Missing("Relay:TlsKeyPath", "Relay:TlsCertificatePath");
                _slots.Add(new TlsCertificateSlot(certificatePath, keyPath, "Relay:TlsCertificatePath", "Relay:TlsKeyPath"));
            }
            else
            {
                _generated = LoadOrGenerate();
            }
            for (var i = 0; i < _options.TlsCertificates.Count; i++)
            {
                var entry = _options.TlsCertificates[i];
                _slots.Add(new TlsCertificateSlot(entry.CertificatePath, entry.KeyPath,
                    $"Relay:TlsCertificates:{i}:CertificatePath", $"Relay:TlsCertificates:{i}:KeyPath"));
            }
            foreach (var slot in _slots)
            {
                // At start a file that does not load stops start-up.
                slot.Seen = TlsFileStamp.Read(slot.CertificatePath, slot.KeyPath);
                slot.Certificate = TlsCertificateLoader.Load(slot.CertificatePath, slot.KeyPath, slot.CertificateKey, slot.KeyKey);
                Loaded(slot.Certificate);
            }
            return Publish();
        }
    }

    private bool Refresh(bool force)
    {
        lock (_lock)
        {
            if (_set is null) return false;
            var replaced = false;
            foreach (var slot in _slots)
            {
                var stamp = TlsFileStamp.Read(slot.CertificatePath, slot.KeyPath);
                // Missing while being replaced: the next poll sees the finished files.
                if (stamp is null && !force) continue;
                if (!force && stamp == slot.Seen) continue;
                slot.Seen = stamp;
                try
                {
                    var certificate = TlsCertificateLoader.Load(slot.CertificatePath, slot.KeyPath, slot.CertificateKey, slot.KeyKey);
                    if (certificate.Certificate.Thumbprint == slot.Certificate!.Certificate.Thumbprint && !force)
                    {
                        certificate.Dispose();
                        continue;
                    }
                    // The old certificate is not disposed: a handshake under way may still be presenting it.
                    slot.Certificate = certificate;
                    replaced = true;
                    LogCertificateReloaded(certificate.Certificate.Subject, certificate.Certificate.NotAfter.ToUniversalTime(), slot.CertificatePath);
                    Loaded(certificate);
                }
                catch (InvalidOperationException exception)
                {
                    LogReloadFailed(slot.CertificatePath, slot.Certificate!.Certificate.Subject, exception.Message);
                }
            }
            if (replaced) Publish();
            return replaced;
        }
    }

    // Under _lock.
    private TlsCertificateSet Publish()
    {
        var configuredDefault = _options.HasTlsCertificate;
        var defaultCertificate = configuredDefault ? _slots[0].Certificate! : _generated!;
        var named = _slots.Skip(configuredDefault ? 1 : 0).Select(s => s.Certificate!).ToList();
        var set = new TlsCertificateSet(defaultCertificate, named);
        Volatile.Write(ref _set, set);
        return set;
    }

    private void Loaded(TlsCertificate certificate)
    {
        var notAfter = certificate.Certificate.NotAfter.ToUniversalTime();
        if (notAfter <= _timeProvider.GetUtcNow().UtcDateTime) LogConfiguredCertificateExpired(certificate.CertificatePath, notAfter);
        LogConfiguredCertificateLoaded(certificate.Certificate.Subject, notAfter, certificate.CertificatePath);
    }

    private TlsCertificate LoadOrGenerate()
    {
        var directory = Path.GetFullPath(_options.TlsGeneratedDirectory);
        var certificatePath = Path.Combine(directory, GeneratedCertificateFileName);
        var keyPath = Path.Combine(directory, GeneratedKeyFileName);
        var now = _timeProvider.GetUtcNow();

        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            X509Certificate2? existing = null;
            try
            {
                using var withKey = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                existing = TlsCertificateLoader.WithPersistedKey(withKey);
            }
            catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
            {
                LogGeneratedCertificateUnreadable(directory, exception.Message);
            }

            if (existing is not null && existing.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore)
            {
                LogGeneratedCertificateReused(certificatePath, existing.NotAfter.ToUniversalTime());
                return new TlsCertificate(existing, SslStreamCertificateContext.Create(existing, null, offline: true), TlsCertificateSource.Reused, certificatePath, keyPath);
            }

            if (existing is not null)
            {
                LogGeneratedCertificateRenewed(certificatePath, existing.NotAfter.ToUniversalTime());
                existing.Dispose();
            }
        }

        X509Certificate2 generated;
        using (var created = SelfSignedCertificate.Create(now))
        {
            try
            {
                Save(directory, certificatePath, keyPath, created);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"Relay:TlsGeneratedDirectory: cannot save the generated TLS certificate in '{directory}': {exception.Message} (set Relay:TlsCertificatePath and Relay:TlsKeyPath, or a writable Relay:TlsGeneratedDirectory).",
                    exception);
            }

            generated = TlsCertificateLoader.WithPersistedKey(created);
        }

        LogGeneratedCertificateCreated(certificatePath, generated.NotAfter.ToUniversalTime());
        return new TlsCertificate(generated, SslStreamCertificateContext.Create(generated, null, offline: true), TlsCertificateSource.Generated, certificatePath, keyPath);
    }

    private static void Save(string directory, string certificatePath, string keyPath, X509Certificate2 certificate)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The generated certificate has no ECDSA key.");
        // Write beside the target and rename, so a crash never leaves half a key; the key file is
        // created 0600 so it is never readable by others, not even briefly.
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteAtomically(certificatePath, certificate.ExportCertificatePem(), secret: false);
    }

    private static void WriteAtomically(string path, string content, bool secret)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Write('\n');
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static InvalidOperationException Missing(string key, string other) =>
        new($"{key} must be set when {other} is.");

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "TLS certificate {Subject} loaded from {CertificatePath} (valid until {NotAfter:u})")]
    private partial void LogConfiguredCertificateLoaded(string subject, DateTime notAfter, string certificatePath);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "The TLS certificate in {CertificatePath} expired at {NotAfter:u}; TURNS clients will refuse it")]
    private partial void LogConfiguredCertificateExpired(string certificatePath, DateTime notAfter);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "No TLS certificate configured (Relay:TlsCertificatePath, Relay:TlsKeyPath): generated a self-signed one for localhost, valid until {NotAfter:u}, saved to {CertificatePath}; TURNS clients must be told to trust it")]
    private partial void LogGeneratedCertificateCreated(string certificatePath, DateTime notAfter);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "No TLS certificate configured (Relay:TlsCertificatePath, Relay:TlsKeyPath): using the self-signed one generated earlier at {CertificatePath}, valid until {NotAfter:u}")]
    private partial void LogGeneratedCertificateReused(string certificatePath, DateTime notAfter);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "The self-signed TLS certificate at {CertificatePath} expires at {NotAfter:u}; generating a new one")]
    private partial void LogGeneratedCertificateRenewed(string certificatePath, DateTime notAfter);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "The self-signed TLS certificate in {Directory} could not be loaded ({Reason}); generating a new one")]
    private partial void LogGeneratedCertificateUnreadable(string directory, string reason);
    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "TLS certificate {Subject} reloaded from {CertificatePath} (valid until {NotAfter:u}); the next handshakes present it")]
    private partial void LogCertificateReloaded(string subject, DateTime notAfter, string certificatePath);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Error, Message = "The TLS certificate files at {CertificatePath} changed but could not be loaded; still presenting {Subject}: {Reason}")]
    private partial void LogReloadFailed(string certificatePath, string subject, string reason);
}
