using System.Text;

namespace Turn.Protocol.Tests;

public class UserHashTests
{
    [Fact]
    public void Compute_Rfc8489Example_MatchesVectorUserHash()
    {
        // RFC 8489 B.1: USERHASH of <U+30DE><U+30C8><U+30EA><U+30C3><U+30AF><U+30B9> in realm example.org.
        byte[] expected = TestHex.Parse("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704");

        Assert.Equal(expected, UserHash.Compute(RfcVectors.LongTermUsername, RfcVectors.LongTermRealm));

        var destination = new byte[32];
        UserHash.Compute(Encoding.UTF8.GetBytes(RfcVectors.LongTermUsername), Encoding.UTF8.GetBytes(RfcVectors.LongTermRealm), destination);
        Assert.Equal(expected, destination);
    }
}
