namespace Turn.Relay.Tls;

/// <summary>
/// What the reload poll compares for a certificate and key pair: for each file, the final target of its symbolic
/// links (certbot's live/ links move to a new archive/ file at each renewal), its length and modification time.
/// </summary>
internal readonly record struct TlsFileStamp(string CertificateTarget, long CertificateLength, DateTime CertificateWritten,
    string KeyTarget, long KeyLength, DateTime KeyWritten)
{
    /// <summary>The stamp now; null when a file cannot be read (missing during a replace): the poll tries again later.</summary>
    public static TlsFileStamp? Read(string certificatePath, string keyPath)
    {
        try
        {
            var certificate = Resolve(certificatePath);
            var key = Resolve(keyPath);
            if (!certificate.Exists || !key.Exists) return null;
            return new TlsFileStamp(certificate.FullName, certificate.Length, certificate.LastWriteTimeUtc, key.FullName, key.Length, key.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static FileInfo Resolve(string path)
    {
        var file = new FileInfo(path);
        return file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
    }
}
