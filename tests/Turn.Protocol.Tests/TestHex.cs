namespace Turn.Protocol.Tests;

/// <summary>Hex test data: whitespace is ignored, so vectors can be laid out as in the RFCs.</summary>
internal static class TestHex
{
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
