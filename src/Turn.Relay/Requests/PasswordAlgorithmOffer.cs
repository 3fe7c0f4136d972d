using Turn.Protocol;

namespace Turn.Relay.Requests;

/// <summary>The PASSWORD-ALGORITHMS the server offers in its challenges (RFC 8489 section 9.2.4): MD5 only.</summary>
internal static class PasswordAlgorithmOffer
{
    public static readonly PasswordAlgorithm[] Algorithms = [PasswordAlgorithm.Md5];
}
