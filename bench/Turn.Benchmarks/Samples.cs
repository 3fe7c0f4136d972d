using System.Net;
using Turn.Protocol;

namespace Turn.Benchmarks;

/// <summary>Messages as real clients send them, built once with the codec.</summary>
internal static class Samples
{
    public const string User = "bench";
    public const string Password = "benchpass";
    public const string Realm = "bench.local";
    public const string Nonce = "0123456789abcdef0123456789abcdef";

    public static readonly byte[] Key = LongTermKey.Compute(User, Realm, Password);

    public static readonly TransportAddress Client = TransportAddress.FromIPAddress(IPAddress.Parse("203.0.113.5"), 40000);
    public static readonly TransportAddress Server = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"), 3478);
    public static readonly TransportAddress Relayed = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"), 50000);
    public static readonly TransportAddress Peer = TransportAddress.FromIPAddress(IPAddress.Parse("198.51.100.10"), 5000);

    /// <summary>A Binding request with FINGERPRINT, as ICE agents send them.</summary>
    public static byte[] BindingRequest()
    {
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Binding, StunClass.Request, TransactionId.NewRandom());
        writer.WriteFingerprint();
        return Finish(buffer, writer);
    }

    /// <summary>An authenticated Allocate (second round of the long-term credential exchange).</summary>
    public static byte[] AuthenticatedAllocate()
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, TransactionId.NewRandom());
        writer.WriteRequestedTransport(17);
        writer.WriteLifetime(600);
        writer.WriteString(StunAttributeType.Username, User);
        writer.WriteString(StunAttributeType.Realm, Realm);
        writer.WriteString(StunAttributeType.Nonce, Nonce);
        writer.WriteMessageIntegrity(Key);
        writer.WriteFingerprint();
        return Finish(buffer, writer);
    }

    /// <summary>A Send indication carrying <paramref name="payload"/> bytes to <see cref="Peer"/>.</summary>
    public static byte[] SendIndication(int payload, TransportAddress peer)
    {
        var buffer = new byte[payload + 64];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, TransactionId.NewRandom());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, peer);
        writer.WriteData(new byte[payload]);
        return Finish(buffer, writer);
    }

    public static byte[] ChannelDataMessage(ushort channel, int payload)
    {
        var buffer = new byte[payload + 8];
        if (!ChannelData.TryWrite(buffer, channel, new byte[payload], padToFour: false, out var written))
            throw new InvalidOperationException("ChannelData did not fit.");
        return buffer[..written];
    }

    private static byte[] Finish(byte[] buffer, StunMessageWriter writer) =>
        writer.HasFailed ? throw new InvalidOperationException("Sample did not fit.") : buffer[..writer.Length];
}
