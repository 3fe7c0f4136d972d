using BenchmarkDotNet.Attributes;
using Turn.Protocol;

namespace Turn.Benchmarks;

/// <summary>The codec work of the request path: parse, look up, verify, answer.</summary>
[MemoryDiagnoser]
public class StunCodecBenchmarks
{
    private readonly byte[] _binding = Samples.BindingRequest();
    private readonly byte[] _allocate = Samples.AuthenticatedAllocate();
    private readonly byte[] _response = new byte[512];
    private readonly byte[] _software = "Turnstone"u8.ToArray();
    private readonly TransactionId _transaction = TransactionId.NewRandom();

    [Benchmark]
    public bool ParseBindingRequest() =>
        StunMessageReader.TryParse(_binding, out var message) == StunParseError.None && message.Method == StunMethod.Binding;

    /// <summary>Parse plus the lookups the Allocate handler makes before it checks integrity.</summary>
    [Benchmark]
    public int ParseAuthenticatedAllocate()
    {
        if (StunMessageReader.TryParse(_allocate, out var message) != StunParseError.None) return -1;
        var found = 0;
        if (message.TryGetValue(StunAttributeType.Username, out var user)) found += user.Length;
        if (message.TryGetValue(StunAttributeType.Realm, out var realm)) found += realm.Length;
        if (message.TryGetValue(StunAttributeType.Nonce, out var nonce)) found += nonce.Length;
        if (message.TryGetUInt32(StunAttributeType.RequestedTransport, out var transport)) found += (int)(transport >> 24);
        if (message.TryGetUInt32(StunAttributeType.Lifetime, out var lifetime)) found += (int)lifetime;
        return found;
    }

    [Benchmark]
    public bool VerifyMessageIntegrity()
    {
        StunMessageReader.TryParse(_allocate, out var message);
        return message.VerifyMessageIntegrity(Samples.Key);
    }

    [Benchmark]
    public bool VerifyFingerprint()
    {
        StunMessageReader.TryParse(_allocate, out var message);
        return message.VerifyFingerprint();
    }

    /// <summary>An Allocate success response as the server writes it, with MESSAGE-INTEGRITY and FINGERPRINT.</summary>
    [Benchmark]
    public int WriteAllocateResponse()
    {
        var writer = new StunMessageWriter(_response);
        writer.WriteHeader(StunMethod.Allocate, StunClass.SuccessResponse, _transaction);
        writer.WriteXorAddress(StunAttributeType.XorRelayedAddress, Samples.Relayed);
        writer.WriteXorAddress(StunAttributeType.XorMappedAddress, Samples.Client);
        writer.WriteLifetime(600);
        writer.WriteAttribute(StunAttributeType.Software, _software);
        writer.WriteMessageIntegrity(Samples.Key);
        writer.WriteFingerprint();
        return writer.HasFailed ? -1 : writer.Length;
    }

    [Benchmark]
    public int WriteBindingResponse()
    {
        var writer = new StunMessageWriter(_response);
        writer.WriteHeader(StunMethod.Binding, StunClass.SuccessResponse, _transaction);
        writer.WriteXorAddress(StunAttributeType.XorMappedAddress, Samples.Client);
        writer.WriteFingerprint();
        return writer.HasFailed ? -1 : writer.Length;
    }
}
