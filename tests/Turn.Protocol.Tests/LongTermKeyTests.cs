using System.Security.Cryptography;
using System.Text;

namespace Turn.Protocol.Tests;

public class LongTermKeyTests
{
    [Fact]
    public void ComputeHex_CoturnExample_MatchesTurnadminOutput()
    {
        // coturn's documented example: turnadmin -k -u gorst -r north.gov -p hero
        Assert.Equal("7da2270ccfa49786e0115366d3a3d14d", LongTermKey.ComputeHex("gorst", "north.gov", "hero"));
    }

    [Fact]
    public void ComputeSha256_IsSha256OfUserRealmPassword()
    {
        byte[] expected = SHA256.HashData(Encoding.UTF8.GetBytes("u:r:p"));
        Assert.Equal(expected, LongTermKey.ComputeSha256("u", "r", "p"));
        Assert.Equal(expected, LongTermKey.Compute(PasswordAlgorithm.Sha256, "u", "r", "p"));
        Assert.Equal(LongTermKey.Compute("u", "r", "p"), LongTermKey.Compute(PasswordAlgorithm.Md5, "u", "r", "p"));
    }

    [Fact]
    public void Compute_UnknownAlgorithm_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LongTermKey.Compute((PasswordAlgorithm)9, "u", "r", "p"));
    }

    [Theory]
    [InlineData("7da2270ccfa49786e0115366d3a3d14d", true)]
    [InlineData("7DA2270CCFA49786E0115366D3A3D14D", true)]
    [InlineData("7da2270ccfa49786e0115366d3a3d14", false)]
    [InlineData("zz a2270ccfa49786e0115366d3a3d14", false)]
    [InlineData(null, false)]
    public void TryParseHex_Input_ParsesOnlyValidKeys(string? hex, bool expected)
    {
        Assert.Equal(expected, LongTermKey.TryParseHex(hex, out byte[] key));
        Assert.Equal(expected ? 16 : 0, key.Length);
    }
}
