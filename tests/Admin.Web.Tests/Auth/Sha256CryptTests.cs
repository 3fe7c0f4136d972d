using Admin.Web.Auth;

namespace Admin.Web.Tests.Auth;

/// <summary>The test vectors from Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512".</summary>
public sealed class Sha256CryptTests
{
    public static TheoryData<string, string, string> SpecVectors => new()
    {
        { "$5$saltstring", "Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5" },
        { "$5$rounds=10000$saltstringsaltstring", "Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA" },
        { "$5$rounds=5000$toolongsaltstring", "This is just a test", "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5" },
        {
            "$5$rounds=1400$anotherlongsaltstring",
            "a very much longer text to encrypt.  This one even stretches over morethan one line.",
            "$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1"
        },
        { "$5$rounds=77777$short", "we have a short salt string but not a short password", "$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/" },
        { "$5$rounds=123456$asaltof16chars..", "a short string", "$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD" },
        { "$5$rounds=10$roundstoolow", "the minimum number is still observed", "$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC" },
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Hash_SpecVector_MatchesPublishedResult(string setting, string password, string expected)
    {
        Assert.Equal(expected, Sha256Crypt.Hash(password, setting));
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Verify_SpecVector_AcceptsRightPasswordAndRefusesWrongOne(string setting, string password, string expected)
    {
        _ = setting;
        Assert.True(Sha256Crypt.Verify(password, expected));
        Assert.False(Sha256Crypt.Verify(password + "x", expected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$1$md5salt$abcdef")]
    [InlineData("$5$rounds=abc$salt$hash")]
    [InlineData("$5$rounds=$salt$hash")]
    [InlineData("plain-text")]
    public void Verify_NotASha256CryptHash_ReturnsFalse(string stored)
    {
        Assert.False(Sha256Crypt.Verify("Hello world!", stored));
    }

    [Fact]
    public void Verify_ExcessiveRounds_ReturnsFalseWithoutComputing()
    {
        Assert.False(Sha256Crypt.Verify("x", "$5$rounds=999999999$salt$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"));
    }

    [Fact]
    public void Hash_NotASetting_Throws()
    {
        Assert.Throws<FormatException>(() => Sha256Crypt.Hash("x", "$6$salt"));
    }
}
