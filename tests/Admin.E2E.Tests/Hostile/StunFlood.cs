using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Turn.Protocol;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// The flood sender: one dedicated thread sends the plan's prebuilt messages as fast as it can (32 per sendmmsg
/// call, see <see cref="DatagramBatch"/>) or paced to a rate (one send each), rewriting the transaction id and the
/// template's varied bytes in place before each send, with no allocation per message (connected sockets, sends that
/// report errors instead of throwing, an xorshift generator).
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

    /// <summary>Datagrams per sendmmsg call at the maximum rate.</summary>
    private const int BatchSize = 32;

    private static (long Sent, long Errors, long Bytes, TimeSpan Elapsed) Send(FloodPlan plan) =>
        plan.MessagesPerSecond == 0 && DatagramBatch.IsSupported ? SendBatched(plan) : SendPaced(plan);

    // One datagram per system call, paced to the plan's rate (or as fast as that goes where sendmmsg is missing).
    private static (long Sent, long Errors, long Bytes, TimeSpan Elapsed) SendPaced(FloodPlan plan)
    {
        var templates = plan.Templates.ToArray();
        var buffers = templates.Select(t => t.Message.ToArray()).ToArray();
        var sources = plan.Sources.ToArray();
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
            Vary(buffer, templates[template], plan.VaryTransactionId, ref state);
            sources[source].Send(buffer, SocketFlags.None, out var error);
            if (error != SocketError.Success) errors++;
            sent++;
            bytes += buffer.Length;
            if (++template == buffers.Length) template = 0;
            if (++source == sources.Length) source = 0;
        }
        return (sent, errors, bytes, Stopwatch.GetElapsedTime(start));
    }

    // As fast as one thread can: BatchSize datagrams per sendmmsg, sources in turn.
    private static (long Sent, long Errors, long Bytes, TimeSpan Elapsed) SendBatched(FloodPlan plan)
    {
        var templates = plan.Templates.ToArray();
        var maxLength = templates.Max(t => t.Message.Length);
        var batches = plan.Sources.Select(s => new DatagramBatch(s, BatchSize, maxLength)).ToArray();
        try
        {
            var state = (ulong)Random.Shared.NextInt64() | 1;
            long sent = 0, errors = 0, bytes = 0;
            var start = Stopwatch.GetTimestamp();
            var end = start + (long)(plan.Duration.TotalSeconds * Stopwatch.Frequency);
            int template = 0, source = 0;
            while (sent < plan.MaxMessages && Stopwatch.GetTimestamp() < end)
            {
                var batch = batches[source];
                var count = (int)Math.Min(BatchSize, plan.MaxMessages - sent);
                long batchBytes = 0;
                for (var i = 0; i < count; i++)
                {
                    var shape = templates[template];
                    var buffer = batch.Buffer(i);
                    shape.Message.CopyTo(buffer, 0);
                    Vary(buffer.AsSpan(0, shape.Message.Length), shape, plan.VaryTransactionId, ref state);
                    batch.SetLength(i, shape.Message.Length);
                    batchBytes += shape.Message.Length;
                    if (++template == templates.Length) template = 0;
                }
                var taken = batch.Send(count);
                if (taken < count) errors += count - taken;
                sent += count;
                bytes += batchBytes;
                if (++source == batches.Length) source = 0;
            }
            return (sent, errors, bytes, Stopwatch.GetElapsedTime(start));
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }
    }

    private static void Vary(Span<byte> buffer, FloodTemplate shape, bool transactionId, ref ulong state)
    {
        if (transactionId && buffer.Length >= 20)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], Next(ref state));
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[16..], (uint)Next(ref state));
        }
        var hex = "0123456789abcdef"u8;
        for (var i = 0; i < shape.VariedLength; i += 8)
        {
            var random = Next(ref state);
            for (var j = i; j < Math.Min(i + 8, shape.VariedLength); j++, random >>= 8)
                buffer[shape.VariedOffset + j] = shape.VariedAsHex ? hex[(int)(random & 15)] : (byte)random;
        }
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
