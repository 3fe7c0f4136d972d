using Microsoft.Extensions.Options;

namespace Turn.Relay.Tls;

/// <summary>Checks at start-up that the certificate settings are complete and the files readable.</summary>
internal sealed class TlsCertificateOptionsValidator : IValidateOptions<TlsCertificateOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsCertificateOptions options)
    {
        var failures = new List<string>();
        var hasCertificate = !string.IsNullOrWhiteSpace(options.TlsCertificatePath);
        var hasKey = !string.IsNullOrWhiteSpace(options.TlsKeyPath);
        if (hasCertificate && !hasKey)
        {
            failures.Add("Relay:TlsKeyPath must be set when Relay:TlsCertificatePath is (the PEM private key of the certificate).");
        }
        else if (hasKey && !hasCertificate)
        {
            failures.Add("Relay:TlsCertificatePath must be set when Relay:TlsKeyPath is (the PEM certificate for that key).");
        }

        if (hasCertificate && !File.Exists(options.TlsCertificatePath))
        {
            failures.Add($"Relay:TlsCertificatePath: the file '{Path.GetFullPath(options.TlsCertificatePath!)}' does not exist.");
        }

        if (hasKey && !File.Exists(options.TlsKeyPath))
        {
            failures.Add($"Relay:TlsKeyPath: the file '{Path.GetFullPath(options.TlsKeyPath!)}' does not exist.");
        }

        if (!options.IsConfigured && string.IsNullOrWhiteSpace(options.TlsGeneratedDirectory))
        {
            failures.Add("Relay:TlsGeneratedDirectory must name a directory when no TLS certificate is configured.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
