namespace Turn.Protocol.Tests;

/// <summary>
/// The data path must not allocate: parse a request, verify it, read its attributes, write the
/// response with integrity and fingerprint, and handle ChannelData, with 0 bytes allocated on the
/// thread after warm-up.
/// </summary>
public class StunMessageAllocationTests
{
    [Fact]
    public void ParseVerifyAndRespond_AfterWarmUp_AllocatesNothing()
    {
        byte[] key = LongTermKey.Compute("u", "r", "p");
        byte[] request = BuildRequest(key);
        var response = new byte[512];
        var channelBuffer = new byte[256];
        byte[] payload = new byte[100];

        for (int i = 0; i < 100; i++) RunDataPath(request, key, response, channelBuffer, payload);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int checksum = 0;
        for (int i = 0; i < 1000; i++) checksum += RunDataPath(request, key, response, channelBuffer, payload);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void VerifyMessageIntegrity_LargeMessageAfterWarmUp_AllocatesNothing()
    {
        // Messages above the stack scratch size borrow a pooled buffer; the pool must be reused.
        byte[] key = [1, 2, 3];
        var buffer = new byte[4096];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.Send, StunClass.Indication, TransactionId.NewRandom());
        writer.WriteData(new byte[3000]);
        writer.WriteMessageIntegrity(key);
        byte[] message = writer.WrittenSpan.ToArray();

        for (int i = 0; i < 10; i++) Verify(message, key);
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 100; i++) all &= Verify(message, key);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(all);
        Assert.Equal(0, allocated);
    }

    private static bool Verify(byte[] message, byte[] key) =>
        StunMessageReader.TryParse(message, out var reader) == StunParseError.None && reader.VerifyMessageIntegrity(key);

    private static int RunDataPath(byte[] requestBytes, byte[] key, byte[] response, byte[] channelBuffer, byte[] payload)
    {
        if (StunMessageReader.TryParse(requestBytes, out var request) != StunParseError.None) return 0;
        if (!request.VerifyMessageIntegrity(key) || !request.VerifyFingerprint()) return 0;
        Span<ushort> unknown = stackalloc ushort[4];
        if (request.GetUnknownComprehensionRequired(unknown) != 0) return 0;
        int peers = 0;
        foreach (var attribute in request.GetAttributes(StunAttributeType.XorPeerAddress))
            if (attribute.TryReadXorAddress(request.TransactionIdBytes, out var peer) && peer.Canonicalize().IsIPv4) peers++;
        request.TryGetValue(StunAttributeType.Username, out _);
        request.TryGetUInt32(StunAttributeType.Lifetime, out uint lifetime);

        var writer = new StunMessageWriter(response);
        writer.WriteHeader(request.Method, StunClass.SuccessResponse, request.TransactionId);
        writer.WriteXorAddress(StunAttributeType.XorRelayedAddress, TransportAddress.FromIPv4(0x7F000001, 50000));
        writer.WriteXorAddress(StunAttributeType.XorMappedAddress, TransportAddress.FromIPv4(0x7F000001, 40000));
        writer.WriteLifetime(lifetime);
        writer.WriteString(StunAttributeType.Software, "Turnstone");
        writer.WriteErrorCode(StunErrorCode.StaleNonce);
        writer.WriteMessageIntegrity(key);
        writer.WriteFingerprint();
        if (writer.HasFailed) return 0;

        ChannelData.TryWrite(channelBuffer, 0x4001, payload, padToFour: true, out int written);
        ChannelData.TryParse(channelBuffer.AsSpan(0, written), out _, out var data);
        StreamFraming.TryGetFrameLength(channelBuffer, out _, out _);
        return writer.Length + peers + data.Length + (PacketClassifier.Classify(requestBytes) == PacketKind.Stun ? 1 : 0);
    }

    private static byte[] BuildRequest(byte[] key)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer);
        writer.WriteHeader(StunMethod.CreatePermission, StunClass.Request, TransactionId.NewRandom());
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, TransportAddress.FromIPv4(0x0A000001, 1));
        TransportAddress.TryParse("[::ffff:10.0.0.2]:2", out var mapped);
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, mapped);
        writer.WriteString(StunAttributeType.Username, "u");
        writer.WriteString(StunAttributeType.Realm, "r");
        writer.WriteString(StunAttributeType.Nonce, "abcdef");
        writer.WriteLifetime(300);
        writer.WriteMessageIntegrity(key);
        writer.WriteFingerprint();
        return writer.WrittenSpan.ToArray();
    }
}
