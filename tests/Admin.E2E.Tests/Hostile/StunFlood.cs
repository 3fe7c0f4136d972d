using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Turn.Protocol;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The flood sender: one dedicated thread sends the plan's prebuilt messages as fast as it can (or paced to a rate),
/// rewriting the transaction id and the template's varied bytes in place before each send, with no allocation per
/// message (a connected socket, a span send that reports errors instead of throwing, an xorshift generator).
/// Bounded by the plan's count and duration. When asked, one thread per source reads and classifies the answers.
/// </summary>
internal static class StunFlood
{
    private static readonly TimeSpan ReceivePoll = TimeSpan.FromMilliseconds(50);

    public static Task<FloodResult> RunAsync(FloodPlan plan)
    {
        var result = new TaskCompletionSource<FloodResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(Run(plan));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        })
        { IsBackground = true, Name = "stun-flood" };
        thread.Start();
        return result.Task;
    }

    private static FloodResult Run(FloodPlan plan)
    {
        var stopReceiving = 0L;
        var receivers = plan.CountAnswers ? plan.Sources.Select(s => StartReceiver(s, () => Interlocked.Read(ref stopReceiving))).ToArray() : [];
        var (sent, errors, bytes, elapsed) = Send(plan);
        Interlocked.Exchange(ref stopReceiving, Stopwatch.GetTimestamp() + (long)(plan.AnswerGrace.TotalSeconds * Stopwatch.Frequency));

        var codes = new Dictionary<int, long>();
        long answers = 0, answerBytes = 0;
        foreach (var receiver in receivers)
        {
            var counts = receiver.GetAwaiter().GetResult();
            answers += counts.Answers;
            answerBytes += counts.Bytes;
            foreach (var (code, count) in counts.Codes) codes[code] = codes.GetValueOrDefault(code) + count;
        }
        return new FloodResult(sent, errors, elapsed, answers, answerBytes, bytes, codes);
    }

    private static (long Sent, long Errors, long Bytes, TimeSpan Elapsed) Send(FloodPlan plan)
    {
        var templates = plan.Templates.ToArray();
        var buffers = templates.Select(t => t.Message.ToArray()).ToArray();
        var sources = plan.Sources.ToArray();
        var hex = "0123456789abcdef"u8;
        var state = (ulong)Random.Shared.NextInt64() | 1;
        long sent = 0, errors = 0, bytes = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(plan.Duration.TotalSeconds * Stopwatch.Frequency);
        var rate = plan.MessagesPerSecond;
        int template = 0, source = 0;
        while (sent < plan.MaxMessages)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end) break;
            if (rate > 0 && sent >= (now - start) * rate / Stopwatch.Frequency)
            {
                Thread.Sleep(1);
                continue;
            }

            var buffer = buffers[template];
            var shape = templates[template];
            if (plan.VaryTransactionId && buffer.Length >= 20)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(8), Next(ref state));
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(16), (uint)Next(ref state));
            }
            for (var i = 0; i < shape.VariedLength; i += 8)
            {
                var random = Next(ref state);
                for (var j = i; j < Math.Min(i + 8, shape.VariedLength); j++, random >>= 8)
                    buffer[shape.VariedOffset + j] = shape.VariedAsHex ? hex[(int)(random & 15)] : (byte)random;
            }

            sources[source].Send(buffer, SocketFlags.None, out var error);
            if (error != SocketError.Success) errors++;
            sent++;
            bytes += buffer.Length;
            if (++template == buffers.Length) template = 0;
            if (++source == sources.Length) source = 0;
        }
        return (sent, errors, bytes, Stopwatch.GetElapsedTime(start));
    }

    private static ulong Next(ref ulong state)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }

    private sealed record AnswerCounts(long Answers, long Bytes, Dictionary<int, long> Codes);

    private static Task<AnswerCounts> StartReceiver(Socket socket, Func<long> stopAt)
    {
        var done = new TaskCompletionSource<AnswerCounts>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var buffer = new byte[4096];
            var codes = new Dictionary<int, long>();
            long answers = 0, bytes = 0;
            while (true)
            {
                var stop = stopAt();
                if (stop != 0 && Stopwatch.GetTimestamp() >= stop) break;
                if (!socket.Poll(ReceivePoll, SelectMode.SelectRead)) continue;
                var received = socket.Receive(buffer, SocketFlags.None, out var error);
                if (error != SocketError.Success) continue; // e.g. ICMP port unreachable reported on a connected socket
                answers++;
                bytes += received;
                var code = AnswerCode(buffer.AsSpan(0, received));
                codes[code] = codes.GetValueOrDefault(code) + 1;
            }
            done.SetResult(new AnswerCounts(answers, bytes, codes));
        })
        { IsBackground = true, Name = "stun-flood-answers" };
        thread.Start();
        return done.Task;
    }

    /// <summary>0 for a success response, the ERROR-CODE of an error response, -1 for anything that does not parse as STUN.</summary>
    public static int AnswerCode(ReadOnlySpan<byte> message)
    {
        if (StunMessageReader.TryParse(message, out var reader) != StunParseError.None) return -1;
        if (reader.Class != StunClass.ErrorResponse) return 0;
        return reader.TryGetAttribute(StunAttributeType.ErrorCode, out var attribute) && attribute.TryReadErrorCode(out var code, out _) ? code : -1;
    }
}
