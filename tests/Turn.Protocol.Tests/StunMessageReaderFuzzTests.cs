using System.Buffers.Binary;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Turn.Protocol.Tests;

/// <summary>
/// Bounded fuzzing of everything that reads untrusted bytes: 4 strategies x 262,144 cases
/// (1,048,576 in all), fixed seeds. Each input is handed over as a span of exactly its length,
/// so any read past the end would throw (IndexOutOfRange / ArgumentOutOfRange); the parser must
/// instead return a parse error. Inputs that parse are then read through every accessor.
/// </summary>
public class StunMessageReaderFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerStrategy = 262_144;
    private static readonly byte[] Key = LongTermKey.Compute("u", "r", "p");

    public enum Strategy
    {
        BitFlips,
        LengthLies,
        Truncations,
        RandomWithValidHeader,
    }

    [Theory]
    [InlineData(Strategy.BitFlips)]
    [InlineData(Strategy.LengthLies)]
    [InlineData(Strategy.Truncations)]
    [InlineData(Strategy.RandomWithValidHeader)]
    public void TryParse_MutatedInputs_NeverThrows(Strategy strategy)
    {
        var random = new Random(8489 + (int)strategy);
        List<byte[]> seeds = Seeds();
        var buffer = new byte[2048];
        int parsed = 0;

        for (int i = 0; i < CasesPerStrategy; i++)
        {
            byte[] seed = seeds[random.Next(seeds.Count)];
            int length = Mutate(strategy, seed, buffer, random);
            ReadOnlySpan<byte> input = buffer.AsSpan(0, length);
            try
            {
                if (Exercise(input)) parsed++;
            }
            catch (Exception exception)
            {
                Assert.Fail($"{strategy} case {i} threw {exception.GetType().Name} for input {Convert.ToHexString(input)}: {exception.Message}");
            }
        }

        output.WriteLine($"{strategy}: {CasesPerStrategy} cases, {parsed} parsed as valid messages");
        // The strategies must reach past the header checks, not just bounce off them.
        Assert.InRange(parsed, CasesPerStrategy / 100, CasesPerStrategy);
    }

    [Fact]
    public void TryParse_StoredCorpus_GivesTheRecordedResult()
    {
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.hex");
        Assert.True(files.Length >= 10);

        foreach (string file in files)
        {
            string[] lines = File.ReadAllLines(file);
            string expected = lines.Single(l => l.StartsWith("# expect:", StringComparison.Ordinal))["# expect:".Length..].Trim();
            byte[] input = TestHex.Parse(string.Concat(lines.Where(l => !l.StartsWith('#'))));

            var error = StunMessageReader.TryParse(input, out _);
            Exercise(input);

            Assert.True(expected == error.ToString(), $"{Path.GetFileName(file)}: expected {expected}, got {error}");
        }
    }

    // Parses, and when the message is valid reads it every way the relay might.
    private static bool Exercise(ReadOnlySpan<byte> input)
    {
        PacketClassifier.Classify(input);
        StreamFraming.TryGetFrameLength(input, out _, out _);
        ChannelData.TryParse(input, out _, out _);
        if (StunMessageReader.TryParse(input, out var message) != StunParseError.None) return false;

        Span<ushort> unknown = stackalloc ushort[4];
        Span<PasswordAlgorithm> algorithms = stackalloc PasswordAlgorithm[4];
        message.GetUnknownComprehensionRequired(unknown);
        foreach (var attribute in message.GetAttributes())
        {
            attribute.TryReadAddress(out _);
            attribute.TryReadXorAddress(message.TransactionIdBytes, out _);
            attribute.TryReadUInt32(out _);
            attribute.TryReadErrorCode(out _, out _);
            attribute.TryReadChannelNumber(out _);
            attribute.TryReadRequestedTransport(out _);
            attribute.TryReadEvenPort(out _);
            attribute.TryReadAddressFamily(out _);
            attribute.TryReadReservationToken(out _);
            attribute.TryReadPasswordAlgorithm(out _, out _);
            attribute.TryReadPasswordAlgorithms(algorithms, out _);
            attribute.TryReadAddressErrorCode(out _, out _, out _);
            attribute.TryReadIcmp(out _, out _, out _);
            attribute.TryReadUnknownAttributes(unknown, out _);
        }
        message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out _);
        message.VerifyMessageIntegrity(Key);
        message.VerifyMessageIntegritySha256(Key);
        message.VerifyFingerprint();
        return true;
    }

    private static int Mutate(Strategy strategy, byte[] seed, byte[] buffer, Random random)
    {
        int length = Math.Min(seed.Length, buffer.Length);
        seed.AsSpan(0, length).CopyTo(buffer);
        switch (strategy)
        {
            case Strategy.BitFlips:
                int flips = 1 + random.Next(8);
                for (int f = 0; f < flips && length > 0; f++)
                    buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                if (random.Next(4) == 0 && length > 0) buffer[random.Next(length)] = Interesting[random.Next(Interesting.Length)];
                break;

            case Strategy.LengthLies:
                // Lie in the header length, or in one attribute's length, keeping the rest intact.
                if (random.Next(3) == 0 || length < 24)
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), LyingLength(random, length - 20));
                else
                {
                    int offset = AttributeOffset(buffer.AsSpan(0, length), random);
                    if (offset >= 0) BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset + 2), LyingLength(random, length - offset - 4));
                }
                break;

            case Strategy.Truncations:
                length = random.Next(length + 1);
                if (random.Next(2) == 0 && length >= 4)
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)Math.Max(0, (length - 20) & ~3));
                break;

            case Strategy.RandomWithValidHeader:
                // Random attribute soup behind a header that passes the first checks.
                int body = random.Next(0, 64) * 4;
                length = 20 + body;
                random.NextBytes(buffer.AsSpan(0, length));
                buffer[0] &= 0x3F;
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)body);
                BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), StunConstants.MagicCookie);
                // Small attribute lengths and known types make many of these parse.
                for (int offset = 20; offset + 4 <= length; )
                {
                    ushort type = random.Next(2) == 0 ? KnownTypes[random.Next(KnownTypes.Length)] : (ushort)random.Next(65536);
                    int valueLength = random.Next(3) == 0 ? random.Next(65536) : random.Next(0, 36);
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset), type);
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset + 2), (ushort)valueLength);
                    offset += 4 + ((valueLength + 3) & ~3);
                }
                break;

            default:
                throw new UnreachableException();
        }
        return length;
    }

    private static ushort LyingLength(Random random, int truth) => random.Next(6) switch
    {
        0 => 0,
        1 => 0xFFFF,
        2 => (ushort)Math.Max(0, truth + 4),
        3 => (ushort)Math.Max(0, truth - 4),
        4 => (ushort)Math.Max(0, truth + random.Next(-3, 4)),
        _ => (ushort)random.Next(65536),
    };

    // The offset of a random attribute header in a message (walking the real lengths), or -1.
    private static int AttributeOffset(ReadOnlySpan<byte> message, Random random)
    {
        var offsets = new List<int>();
        for (int offset = 20; offset + 4 <= message.Length; )
        {
            offsets.Add(offset);
            offset += 4 + ((BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]) + 3) & ~3);
        }
        return offsets.Count == 0 ? -1 : offsets[random.Next(offsets.Count)];
    }

    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x03, 0x04, 0x14, 0x20, 0x3F, 0x40, 0x7F, 0x80, 0xFE, 0xFF];

    private static readonly ushort[] KnownTypes = Enum.GetValues<StunAttributeType>().Select(t => (ushort)t).ToArray();

    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>
        {
            RfcVectors.SampleRequest, RfcVectors.SampleIPv4Response, RfcVectors.SampleIPv6Response,
            RfcVectors.SampleLongTermRequest, RfcVectors.Rfc8489SampleErratum6268, RfcVectors.Rfc8489SampleAsPublished,
        };
        foreach (string name in new[] { "stunclient", "uclient-udp-channel", "uclient-tcp-channel", "aioice-udp" })
        {
            var capture = CaptureFile.Load(name);
            seeds.AddRange(capture.Messages(true));
            seeds.AddRange(capture.Messages(false));
        }
        seeds.Add(EveryAttributeMessage());
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.hex"))
            seeds.Add(TestHex.Parse(string.Concat(File.ReadAllLines(file).Where(l => !l.StartsWith('#')))));
        return seeds;
    }

    private static byte[] EveryAttributeMessage()
    {
        var buffer = new byte[1024];
        var writer = new StunMessageWriter(buffer);
        TransportAddress.TryParse("[2001:db8::1]:5", out var ipv6);
        var ipv4 = TransportAddress.FromIPv4(0x7F000001, 9);
        writer.WriteHeader(StunMethod.Allocate, StunClass.ErrorResponse, TransactionId.NewRandom());
        writer.WriteAddress(StunAttributeType.MappedAddress, ipv4);
        writer.WriteXorAddress(StunAttributeType.XorPeerAddress, ipv6);
        writer.WriteErrorCode(StunErrorCode.UnknownAttribute);
        writer.WriteUnknownAttributes([0x7777]);
        writer.WritePasswordAlgorithms([PasswordAlgorithm.Md5, PasswordAlgorithm.Sha256]);
        writer.WritePasswordAlgorithm(PasswordAlgorithm.Md5);
        writer.WriteChannelNumber(0x4000);
        writer.WriteEvenPort(false);
        writer.WriteRequestedTransport(17);
        writer.WriteRequestedAddressFamily(StunAddressFamily.IPv4);
        writer.WriteReservationToken(42);
        writer.WriteAddressErrorCode(StunAddressFamily.IPv6, 440, "no");
        writer.WriteIcmp(1, 2, 3);
        writer.WriteMessageIntegrity(Key);
        writer.WriteMessageIntegritySha256(Key);
        writer.WriteFingerprint();
        return writer.WrittenSpan.ToArray();
    }
}
