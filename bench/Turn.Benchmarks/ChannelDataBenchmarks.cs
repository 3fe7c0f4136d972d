using BenchmarkDotNet.Attributes;
using Turn.Protocol;

namespace Turn.Benchmarks;

/// <summary>ChannelData framing (RFC 8656 section 12.4), the cheapest relay format.</summary>
[MemoryDiagnoser]
public class ChannelDataBenchmarks
{
    private readonly byte[] _message = Samples.ChannelDataMessage(0x4000, 1000);
    private readonly byte[] _payload = new byte[1000];
    private readonly byte[] _destination = new byte[1100];

    [Benchmark]
    public int Parse() =>
        ChannelData.TryParse(_message, out var channel, out var data) == ChannelDataParseError.None ? channel + data.Length : -1;

    /// <summary>Header and payload copy, padded as on TCP.</summary>
    [Benchmark]
    public int Write() =>
        ChannelData.TryWrite(_destination, 0x4000, _payload, padToFour: true, out var written) ? written : -1;

    /// <summary>Header only, in front of a payload already in place (what the relay does).</summary>
    [Benchmark]
    public int WriteHeader() =>
        ChannelData.TryWriteHeader(_destination, 0x4000, 1000, padToFour: false, out var written) ? written : -1;
}
