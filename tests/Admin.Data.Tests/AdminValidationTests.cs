using Admin.Data.Administration;

namespace Admin.Data.Tests;

public sealed class AdminValidationTests
{
    [Theory]
    [InlineData("north.gov")]
    [InlineData("a")]
    [InlineData("x-1.example-2.org")]
    [InlineData("123.example")]
    public void CheckRealm_Valid_Null(string realm) => Assert.Null(AdminValidation.CheckRealm(realm));

    [Theory]
    [InlineData(null)]
    [InlineData("North.gov")]
    [InlineData("north.gov-")]
    [InlineData("nörth.gov")]
    [InlineData("north|gov")]
    public void CheckRealm_Invalid_Message(string? realm) => Assert.NotNull(AdminValidation.CheckRealm(realm));

    [Fact]
    public void CheckRealm_LabelOver63_Message() => Assert.NotNull(AdminValidation.CheckRealm(new string('a', 64) + ".org"));

    [Theory]
    [InlineData("gorst")]
    [InlineData("Ünïcode user")]
    [InlineData("a|b@c")]
    public void CheckUserName_Valid_Null(string name) => Assert.Null(AdminValidation.CheckUserName(name));

    [Theory]
    [InlineData("1700000000:alice")]
    [InlineData("line\nbreak")]
    [InlineData("trailing ")]
    public void CheckUserName_Invalid_Message(string name) => Assert.NotNull(AdminValidation.CheckUserName(name));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("2001:db8::1-2001:db8::ff")]
    [InlineData("10.0.0.1-10.0.0.1")]
    public void CheckPeerRange_Valid_Null(string range) => Assert.Null(AdminValidation.CheckPeerRange(range));

    [Theory]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("/8")]
    [InlineData("10.0.0.1-")]
    [InlineData("300.0.0.1")]
    public void CheckPeerRange_Invalid_Message(string range) => Assert.NotNull(AdminValidation.CheckPeerRange(range));

    [Theory]
    [InlineData("https://app.example.org", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("https://app.example.org/path", false)]
    [InlineData("app.example.org", false)]
    public void CheckOrigin(string origin, bool valid) => Assert.Equal(valid, AdminValidation.CheckOrigin(origin) is null);
}
