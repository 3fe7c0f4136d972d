using System.Net;
using Microsoft.Extensions.Options;
using Turn.Relay.Realms;
using Turn.Relay.Redirects;
using Turn.Relay.Requests;

namespace Turn.Relay;

/// <summary>Validates <see cref="RelayOptions"/> at start; every message names the key.</summary>
internal sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string s = RelayOptions.SectionName;
        for (var i = 0; i < options.ListenAddresses.Count; i++)
        {
            if (!IPAddress.TryParse(options.ListenAddresses[i], out _))
                errors.Add($"{s}:ListenAddresses:{i} '{options.ListenAddresses[i]}' is not an IP address.");
        }
        if (options.Port is < 0 or > 65535) errors.Add($"{s}:Port {options.Port} must be 0-65535.");
        if (options.TlsPort is < 0 or > 65535) errors.Add($"{s}:TlsPort {options.TlsPort} must be 0-65535 (0 = off).");
        if (options.TlsPort != 0 && options.TlsPort == options.Port)
            errors.Add($"{s}:TlsPort {options.TlsPort} must differ from {s}:Port.");
        if (!string.IsNullOrWhiteSpace(options.RelayAddress) && !IPAddress.TryParse(options.RelayAddress, out _))
            errors.Add($"{s}:RelayAddress '{options.RelayAddress}' is not an IP address.");
        if (!string.IsNullOrWhiteSpace(options.ExternalAddress) && !IPAddress.TryParse(options.ExternalAddress, out _))
            errors.Add($"{s}:ExternalAddress '{options.ExternalAddress}' is not an IP address.");
        if (options.MinPort is < 1 or > 65535) errors.Add($"{s}:MinPort {options.MinPort} must be 1-65535.");
        if (options.MaxPort is < 1 or > 65535) errors.Add($"{s}:MaxPort {options.MaxPort} must be 1-65535.");
        if (options.MinPort > options.MaxPort) errors.Add($"{s}:MinPort {options.MinPort} must not exceed {s}:MaxPort {options.MaxPort}.");
        if (string.IsNullOrWhiteSpace(options.DefaultRealm)) errors.Add($"{s}:DefaultRealm must not be empty.");
        if (options.DefaultRealm.Length > 127) errors.Add($"{s}:DefaultRealm must be under 128 characters (RFC 8489 section 14.9).");
        if (options.Software.Length > 127) errors.Add($"{s}:Software must be under 128 characters (RFC 8489 section 14.14).");
        ValidateTls(options, errors);
        RealmOptionsValidation.Validate(options, errors);
        RequestLimitOptionsValidation.Validate(options, errors);
        AlternateServerOptionsValidation.Validate(options, errors);
        if (options.UserQuota < 0) errors.Add($"{s}:UserQuota {options.UserQuota} must be 0 (unlimited) or more.");
        if (options.TotalQuota < 0) errors.Add($"{s}:TotalQuota {options.TotalQuota} must be 0 (unlimited) or more.");
        if (options.MaxBitsPerSecond < 0) errors.Add($"{s}:MaxBitsPerSecond {options.MaxBitsPerSecond} must be 0 (unlimited) or more.");
        if (options.MaxAllocations < 0) errors.Add($"{s}:MaxAllocations {options.MaxAllocations} must be 0 (unlimited) or more.");
        if (options.UdpListenersPerAddress is < 1 or > 64) errors.Add($"{s}:UdpListenersPerAddress {options.UdpListenersPerAddress} must be 1-64.");
        if (options.EventLoops is < 0 or > 256) errors.Add($"{s}:EventLoops {options.EventLoops} must be 0 (one per core) or 1-256.");
        if (options.MaxStreamConnections < 1) errors.Add($"{s}:MaxStreamConnections {options.MaxStreamConnections} must be at least 1.");
        if (options.StreamIdleTimeoutSeconds < 1) errors.Add($"{s}:StreamIdleTimeoutSeconds {options.StreamIdleTimeoutSeconds} must be at least 1.");
        if (options.MaxStreamConnectionsPerAddress < 1) errors.Add($"{s}:MaxStreamConnectionsPerAddress {options.MaxStreamConnectionsPerAddress} must be at least 1.");
        if (options.StreamAuthTimeoutSeconds < 1) errors.Add($"{s}:StreamAuthTimeoutSeconds {options.StreamAuthTimeoutSeconds} must be at least 1.");
        if (options.TlsHandshakeTimeoutSeconds is < 1 or > 300) errors.Add($"{s}:TlsHandshakeTimeoutSeconds {options.TlsHandshakeTimeoutSeconds} must be 1-300.");
        if (options.TlsReloadIntervalSeconds is < 0 or > 86400) errors.Add($"{s}:TlsReloadIntervalSeconds {options.TlsReloadIntervalSeconds} must be 0 (SIGHUP only) or 1-86400.");
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            if (string.IsNullOrEmpty(user.Name) || string.IsNullOrEmpty(user.Password))
                errors.Add($"{s}:Users:{i} needs a user name and a password (\"user:password\").");
        }
        for (var i = 0; i < options.SharedSecrets.Count; i++)
        {
            if (string.IsNullOrEmpty(options.SharedSecrets[i])) errors.Add($"{s}:SharedSecrets:{i} must not be empty.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // The certificate settings must be complete and the files readable, or start-up stops here
    // rather than at the first TLS handshake.
    private static void ValidateTls(RelayOptions options, List<string> errors)
    {
        const string s = RelayOptions.SectionName;
        var hasCertificate = !string.IsNullOrWhiteSpace(options.TlsCertificatePath);
        var hasKey = !string.IsNullOrWhiteSpace(options.TlsKeyPath);
        if (hasCertificate && !hasKey)
            errors.Add($"{s}:TlsKeyPath must be set when {s}:TlsCertificatePath is (the PEM private key of the certificate).");
        else if (hasKey && !hasCertificate)
            errors.Add($"{s}:TlsCertificatePath must be set when {s}:TlsKeyPath is (the PEM certificate for that key).");
        if (hasCertificate && !File.Exists(options.TlsCertificatePath))
            errors.Add($"{s}:TlsCertificatePath: the file '{Path.GetFullPath(options.TlsCertificatePath!)}' does not exist.");
        if (hasKey && !File.Exists(options.TlsKeyPath))
            errors.Add($"{s}:TlsKeyPath: the file '{Path.GetFullPath(options.TlsKeyPath!)}' does not exist.");
        for (var i = 0; i < options.TlsCertificates.Count; i++)
        {
            var entry = options.TlsCertificates[i];
            if (string.IsNullOrWhiteSpace(entry.CertificatePath) || string.IsNullOrWhiteSpace(entry.KeyPath))
                errors.Add($"{s}:TlsCertificates:{i} needs both CertificatePath and KeyPath.");
            else if (!File.Exists(entry.CertificatePath))
                errors.Add($"{s}:TlsCertificates:{i}:CertificatePath: the file '{Path.GetFullPath(entry.CertificatePath)}' does not exist.");
            else if (!File.Exists(entry.KeyPath))
                errors.Add($"{s}:TlsCertificates:{i}:KeyPath: the file '{Path.GetFullPath(entry.KeyPath)}' does not exist.");
        }
        if (!options.HasTlsCertificate && string.IsNullOrWhiteSpace(options.TlsGeneratedDirectory))
            errors.Add($"{s}:TlsGeneratedDirectory must name a directory when no TLS certificate is configured.");
    }
}
