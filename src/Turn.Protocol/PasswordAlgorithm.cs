namespace Turn.Protocol;

/// <summary>PASSWORD-ALGORITHM values (RFC 8489 section 18.5).</summary>
public enum PasswordAlgorithm : ushort
{
    Md5 = 0x0001,
    Sha256 = 0x0002,
}
