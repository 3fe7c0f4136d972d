using System.Net;
using System.Security.Cryptography;
using System.Text;
using Turn.Protocol;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// One prebuilt STUN request for <see cref="StunFlood"/>, with the byte range the sender rewrites before every send
/// (besides the transaction id, always rewritten): lower-case hex characters for a USERNAME, any bytes for a USERHASH.
/// The MESSAGE-INTEGRITY is computed once over the first variant, so every sent copy carries a wrong one.
/// </summary>
internal sealed record FloodTemplate(byte[] Message, int VariedOffset, int VariedLength, bool VariedAsHex)
{
    /// <summary>A junk NONCE: not one the server ever issued (not even of its format).</summary>
    public const string JunkNonce = "obMatJos2AAACf0xjunkjunkjunkjunk";

    private const string NamePlaceholder = "qqqqqqqqqqqqqqqq";

    /// <summary>Allocate with USERNAME (16 random hex characters per send), REALM, a junk NONCE and MESSAGE-INTEGRITY.</summary>
    public static FloodTemplate RandomUserName(string realm)
    {
        var message = Build(StunMethod.Allocate, realm, (ref StunMessageWriter w) => w.WriteString(StunAttributeType.Username, NamePlaceholder));
        return new FloodTemplate(message, IndexOf(message, Encoding.ASCII.GetBytes(NamePlaceholder)), NamePlaceholder.Length, VariedAsHex: true);
    }

    /// <summary>Allocate with USERHASH (32 random bytes per send), REALM, a junk NONCE and MESSAGE-INTEGRITY.</summary>
    public static FloodTemplate RandomUserHash(string realm)
    {
        var placeholder = Enumerable.Repeat((byte)0xA5, 32).ToArray();
        var message = Build(StunMethod.Allocate, realm, (ref StunMessageWriter w) => w.WriteAttribute(StunAttributeType.UserHash, placeholder));
        return new FloodTemplate(message, IndexOf(message, placeholder), placeholder.Length, VariedAsHex: false);
    }

    /// <summary>Allocate with one USERHASH (of a user that does not exist) repeated in every send.</summary>
    public static FloodTemplate RepeatedUserHash(string realm)
    {
        var hash = UserHash.Compute("nobody-" + Guid.NewGuid().ToString("N")[..8], realm);
        var message = Build(StunMethod.Allocate, realm, (ref StunMessageWriter w) => w.WriteAttribute(StunAttributeType.UserHash, hash));
        return new FloodTemplate(message, 0, 0, VariedAsHex: false);
    }

    /// <summary>
    /// An unauthenticated request as a scanner or a reflection attacker sends it: Allocate, Refresh, CreatePermission,
    /// ChannelBind or Binding, with only the method's own attributes (no USERNAME, no integrity).
    /// </summary>
    public static FloodTemplate Unauthenticated(StunMethod method)
    {
        var peer = TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.9"), 4000);
        return method switch
        {
            StunMethod.Allocate => Plain(method, (ref StunMessageWriter w) => w.WriteRequestedTransport(17)),
            StunMethod.Refresh => Plain(method, (ref StunMessageWriter w) => w.WriteLifetime(600)),
            StunMethod.CreatePermission => Plain(method, (ref StunMessageWriter w) => w.WriteXorAddress(StunAttributeType.XorPeerAddress, peer)),
            StunMethod.ChannelBind => Plain(method, (ref StunMessageWriter w) =>
            {
                w.WriteChannelNumber(0x4000);
                w.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
            }),
            StunMethod.Binding => Plain(method, (ref StunMessageWriter w) => { }),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "No unauthenticated template for this method."),
        };
    }

    /// <summary>A message sent as it is (its transaction id rewritten when the flood varies transaction ids).</summary>
    public static FloodTemplate Fixed(byte[] message) => new(message, 0, 0, VariedAsHex: false);

    public delegate void AttributeWriter(ref StunMessageWriter writer);

    private static FloodTemplate Plain(StunMethod method, AttributeWriter attributes)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(method, StunClass.Request, TransactionId.NewRandom());
        attributes(ref writer);
        return Fixed(Finish(ref writer, buffer));
    }

    private static byte[] Build(StunMethod method, string realm, AttributeWriter identity)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(method, StunClass.Request, TransactionId.NewRandom());
        writer.WriteRequestedTransport(17);
        writer.WriteLifetime(600);
        identity(ref writer);
        writer.WriteString(StunAttributeType.Realm, realm);
        writer.WriteString(StunAttributeType.Nonce, JunkNonce);
        writer.WriteMessageIntegrity(RandomNumberGenerator.GetBytes(16));
        return Finish(ref writer, buffer);
    }

    private static byte[] Finish(ref StunMessageWriter writer, byte[] buffer)
    {
        if (writer.HasFailed) throw new InvalidOperationException("A flood template did not fit its buffer.");
        return buffer.AsSpan(0, writer.Length).ToArray();
    }

    private static int IndexOf(byte[] message, byte[] placeholder)
    {
        var index = message.AsSpan().IndexOf(placeholder);
        if (index < 0) throw new InvalidOperationException("Placeholder not found in the flood template.");
        return index;
    }
}
