namespace Turnstone.TestSupport.Clients;

/// <summary>
/// A private HOME with an NSS database (~/.pki/nssdb) that trusts a test CA, so Chromium accepts
/// a test TURNS certificate through its normal verification (nothing is weakened). Deleted on dispose.
/// </summary>
public sealed class ChromiumTrustStore : IDisposable
{
    private ChromiumTrustStore(string home) => Home = home;

    /// <summary>Pass as HOME to Chromium.</summary>
    public string Home { get; }

    public string DatabaseDirectory => Path.Combine(Home, ".pki", "nssdb");

    /// <summary>Creates the database with libnss3-tools' certutil and adds <paramref name="caCertificatePem"/> as a trusted CA ("C,,").</summary>
    public static async Task<ChromiumTrustStore> CreateAsync(string caCertificatePem, string nickname = "Turnstone Test CA", CancellationToken cancellationToken = default)
    {
        var store = new ChromiumTrustStore(Directory.CreateTempSubdirectory("turnstone-chromium-home-").FullName);
        try
        {
            Directory.CreateDirectory(store.DatabaseDirectory);
            var database = "sql:" + store.DatabaseDirectory;
            await CertutilAsync(["-d", database, "-N", "--empty-password"], cancellationToken).ConfigureAwait(false);
            var caFile = Path.Combine(store.Home, "test-ca.pem");
            await File.WriteAllTextAsync(caFile, caCertificatePem, cancellationToken).ConfigureAwait(false);
            await CertutilAsync(["-d", database, "-A", "-t", "C,,", "-n", nickname, "-i", caFile], cancellationToken).ConfigureAwait(false);
            var listing = await CertutilAsync(["-d", database, "-L"], cancellationToken).ConfigureAwait(false);
            if (!listing.Contains(nickname, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"certutil did not list '{nickname}' after adding it: {listing}");
            }

            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }

    private static async Task<string> CertutilAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ExternalProcess.RunAsync("certutil", arguments, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException($"certutil {string.Join(' ', arguments)} failed (exit {result.ExitCode}): {result.Output}");
        }

        return result.StandardOutput;
    }
}
