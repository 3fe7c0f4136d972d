using System.Text;
using Admin.Web.Cluster;

namespace Admin.Web.Tests.Cluster;

/// <summary>The node-to-node HMAC: accepted only unaltered, for its node, with the key, within the window.</summary>
public sealed class ClusterSignatureTests
{
    private const string Key = "0123456789abcdef0123456789abcdef-cluster-test";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"scope":null}""");
    private const string Path = "/internal/v1/allocations/abc/terminate";

    private const string Nonce = "5f0c2a9e61d74b3c8e0f1a2b3c4d5e6f";

    private static string Sign(long at, string key = Key, string node = "beta", string method = "POST", string path = Path, byte[]? body = null) =>
        ClusterSignature.Compute(key, method, path, node, at, Nonce, body ?? Body);

    private static bool Verify(string? timestamp, string? signature, string method = "POST", string path = Path, byte[]? body = null, string self = "beta",
        string? nonce = Nonce) =>
        ClusterSignature.Verify(Key, method, path, self, timestamp, nonce, signature, body ?? Body, Now);

    [Fact]
    public void Verify_Untouched_Accepted()
    {
        var at = Now.ToUnixTimeSeconds();
        Assert.True(Verify(at.ToString(), Sign(at)));
        // Uppercase hex is the same signature.
        Assert.True(Verify(at.ToString(), Sign(at).ToUpperInvariant()));
    }

    [Fact]
    public void Verify_TamperedBodyPathMethodOrTimestamp_Refused()
    {
        var at = Now.ToUnixTimeSeconds();
        var signature = Sign(at);
        Assert.False(Verify(at.ToString(), signature, body: Encoding.UTF8.GetBytes("""{"scope":"x"}""")));
        Assert.False(Verify(at.ToString(), signature, path: "/internal/v1/allocations/abd/terminate"));
        Assert.False(Verify(at.ToString(), signature, method: "DELETE"));
        Assert.False(Verify((at - 1).ToString(), signature));
        Assert.False(Verify(at.ToString(), signature, nonce: "another-nonce"));
        Assert.False(Verify(at.ToString(), signature, nonce: null));
        var flipped = (signature[0] == 'a' ? 'b' : 'a') + signature[1..];
        Assert.False(Verify(at.ToString(), flipped));
    }

    [Fact]
    public void Verify_OutsideWindow_Refused_InsideAccepted()
    {
        var window = (long)ClusterSignature.Window.TotalSeconds;
        var old = Now.ToUnixTimeSeconds() - window - 1;
        var future = Now.ToUnixTimeSeconds() + window + 1;
        var edge = Now.ToUnixTimeSeconds() - window;
        Assert.False(Verify(old.ToString(), Sign(old)));
        Assert.False(Verify(future.ToString(), Sign(future)));
        Assert.True(Verify(edge.ToString(), Sign(edge)));
    }

    [Fact]
    public void Verify_WrongKeyOrOtherNode_Refused()
    {
        var at = Now.ToUnixTimeSeconds();
        Assert.False(Verify(at.ToString(), Sign(at, key: "another-key-another-key-another-key!")));
        // Signed for beta, presented to gamma: a request cannot be replayed at another node.
        Assert.False(Verify(at.ToString(), Sign(at), self: "gamma"));
    }

    [Theory]
    [InlineData(null, "x")]
    [InlineData("", "x")]
    [InlineData("12ab", "x")]
    [InlineData("-5", "x")]
    [InlineData("1800000000", null)]
    [InlineData("1800000000", "")]
    [InlineData("1800000000", "abc")]
    public void Verify_MissingOrMalformedHeaders_Refused(string? timestamp, string? signature) => Assert.False(Verify(timestamp, signature));
}
