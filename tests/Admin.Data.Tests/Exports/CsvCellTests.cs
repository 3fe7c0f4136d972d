using Admin.Data.Exports;

namespace Admin.Data.Tests.Exports;

/// <summary>
/// The one formula-safety rule of every CSV export (OWASP CSV injection: a cell starting with = + - @ tab or CR gets a
/// leading '), and that the user import undoes exactly what the export did.
/// </summary>
public sealed class CsvCellTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("'quoted", "''quoted")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("mid=dle", "mid=dle")]
    [InlineData("", "\"\"")]
    public void Cell_NeutralisesFormulas_ThenQuotes(string value, string expected) => Assert.Equal(expected, CsvExport.Cell(value));

    [Theory]
    [InlineData("=cmd|' /C calc'!A0")]
    [InlineData("+1")]
    [InlineData("-dash")]
    [InlineData("@at")]
    [InlineData("\ttab")]
    [InlineData("'already")]
    [InlineData("''two")]
    [InlineData("plain")]
    [InlineData("co,mma \"q\"")]
    public void UserCsv_ImportsBackWhatTheExportWrote(string name)
    {
        var file = $"user,hmackey\n{CsvExport.Cell(name)},{CsvExport.Cell("0123456789abcdef0123456789abcdef")}\n";

        var (rows, errors) = UserCsv.Parse(new StringReader(file));

        Assert.Empty(errors);
        var row = Assert.Single(rows);
        Assert.Equal(name, row.Name);
        Assert.Equal("0123456789abcdef0123456789abcdef", row.HmacKey);
    }

    [Fact]
    public void UserCsv_PasswordsAreTakenAsWritten()
    {
        var (rows, _) = UserCsv.Parse(new StringReader("user,password\n'bob,'secret\n"));

        Assert.Equal(("bob", "'secret"), (rows[0].Name, rows[0].Password));
    }

    [Fact]
    public void UsageCsv_Field_IsTheSharedRule()
    {
        foreach (var value in new[] { "=x", "+x", "-x", "@x", "\tx", "\rx", "'x", "x,y" }) Assert.Equal(CsvExport.Cell(value), UsageCsv.Field(value));
    }
}
