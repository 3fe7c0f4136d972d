using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turn.Relay.Seams;

namespace Turn.Relay.Tls;

/// <summary>
/// Loads the TURNS certificate once: from Relay:TlsCertificatePath + Relay:TlsKeyPath when set,
/// otherwise a self-signed ECDSA P-256 certificate generated at first start and kept as PEM under
/// Relay:TlsGeneratedDirectory (regenerated when it is about to expire or unreadable).
/// Problems surface as <see cref="InvalidOperationException"/> naming the configuration key.
/// </summary>
internal sealed partial class TlsCertificateProvider : ITlsCertificateSource, IDisposable
{
    public const string GeneratedCertificateFileName = "turnstone-selfsigned.crt.pem";
    public const string GeneratedKeyFileName = "turnstone-selfsigned.key.pem";

    /// <summary>A generated certificate this close to expiry is replaced at start.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly RelayOptions _options;
    private readonly ILogger<TlsCertificateProvider> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<TlsCertificate> _certificate;

    public TlsCertificateProvider(IOptions<RelayOptions> options, ILogger<TlsCertificateProvider> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _certificate = new Lazy<TlsCertificate>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The certificate; loaded or generated on first use (call it when the TLS listener starts).</summary>
    public TlsCertificate GetCertificate() => _certificate.Value;

    /// <inheritdoc />
    public X509Certificate2 GetServerCertificate() => GetCertificate().Certificate;

    /// <inheritdoc />
    public SslStreamCertificateContext GetServerCertificateContext() => GetCertificate().Context;

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value.Dispose();
        }
    }

    private TlsCertificate Load() => _options.HasTlsCertificate ? LoadConfigured() : LoadOrGenerate();

    private TlsCertificate LoadConfigured()
    {
        var certificatePath = Path.GetFullPath(_options.TlsCertificatePath ?? throw Missing("Relay:TlsCertificatePath", "Relay:TlsKeyPath"));
        var keyPath = Path.GetFullPath(_options.TlsKeyPath ?? throw Missing("Relay:TlsKeyPath", "Relay:TlsCertificatePath"));
        var certificatePem = ReadPem(certificatePath, "Relay:TlsCertificatePath");
        var keyPem = ReadPem(keyPath, "Relay:TlsKeyPath");

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"Relay:TlsCertificatePath: '{certificatePath}' holds a malformed PEM certificate: {exception.Message}", exception);
        }

        if (chain.Count == 0)
        {
            throw new InvalidOperationException($"Relay:TlsCertificatePath: '{certificatePath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        X509Certificate2 leaf;
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            leaf = Reload(withKey);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Relay:TlsKeyPath: '{keyPath}' holds no unencrypted PEM private key matching the certificate in Relay:TlsCertificatePath ('{certificatePath}'): {exception.Message}",
                exception);
        }

        var now = _timeProvider.GetUtcNow();
        if (leaf.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            LogConfiguredCertificateExpired(certificatePath, leaf.NotAfter.ToUniversalTime());
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        chain[0].Dispose();
        LogConfiguredCertificateLoaded(leaf.Subject, leaf.NotAfter.ToUniversalTime(), certificatePath);
        return new TlsCertificate(leaf, SslStreamCertificateContext.Create(leaf, intermediates, offline: true), TlsCertificateSource.Configured, certificatePath, keyPath);
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
                existing = Reload(withKey);
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

            generated = Reload(created);
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

    // Certificates made from PEM carry an ephemeral key that SslStream cannot use on every
    // platform; a PKCS#12 round trip gives a normal key handle everywhere.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static string ReadPem(string path, string key)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{key}: cannot read '{path}': {exception.Message}", exception);
        }
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
}
