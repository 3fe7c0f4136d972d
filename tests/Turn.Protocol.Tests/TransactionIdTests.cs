namespace Turn.Protocol.Tests;

public class TransactionIdTests
{
    [Fact]
    public void Constructor_CopyTo_RoundTripsBytes()
    {
        byte[] bytes = TestHex.Parse("b7e7a701bc34d686fa87dfae");
        var id = new TransactionId(bytes);
        var copy = new byte[12];

        id.CopyTo(copy);

        Assert.Equal(bytes, copy);
        Assert.Equal("b7e7a701bc34d686fa87dfae", id.ToString());
    }

    [Fact]
    public void NewRandom_ManyIds_AreDistinct()
    {
        var ids = new HashSet<TransactionId>();
        for (int i = 0; i < 10_000; i++) ids.Add(TransactionId.NewRandom());
        Assert.Equal(10_000, ids.Count);
    }

    [Fact]
    public void Equality_SameBytes_EqualAndSameHash()
    {
        var a = new TransactionId(TestHex.Parse("000000000000000000000001"));
        var b = new TransactionId(TestHex.Parse("000000000000000000000001"));
        var c = new TransactionId(TestHex.Parse("100000000000000000000001"));

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
    }

    [Fact]
    public void Constructor_ShortSpan_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TransactionId(new byte[11]));
    }
}
