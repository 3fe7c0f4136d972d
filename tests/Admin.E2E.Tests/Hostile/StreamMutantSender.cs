using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Sends mutated messages over TCP, back to back, so they reach the stream framing as well as the request path: when
/// the server closes the connection (a length lie it cannot frame), it reconnects and goes on. Reads and classifies
/// every framed answer. Bounded by count and time.
/// </summary>
internal static class StreamMutantSender
{
    private const int MessagesPerWrite = 20;

    internal sealed record Result(int Sent, int Connections, IReadOnlyDictionary<int, long> AnswerCodes);

    public static async Task<Result> RunAsync(IPEndPoint server, IPAddress source, IReadOnlyList<byte[]> mutants, TimeSpan limit)
    {
        var codes = new Dictionary<int, long>();
        int sent = 0, connections = 0;
        var clock = Stopwatch.StartNew();
        while (sent < mutants.Count && clock.Elapsed < limit)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server);
            connections++;
            var reader = ReadAnswersAsync(socket, codes);
            try
            {
                while (sent < mutants.Count && clock.Elapsed < limit && !reader.IsCompleted)
                {
                    var batch = mutants.Skip(sent).Take(MessagesPerWrite).SelectMany(m => m).ToArray();
                    await socket.SendAsync(batch, SocketFlags.None);
                    sent += Math.Min(MessagesPerWrite, mutants.Count - sent);
                    await Task.Delay(5); // about 4,000 messages per second at most
                }
            }
            catch (SocketException)
            {
                // Closed by the server mid-write: reconnect.
            }
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // Already reset by the server.
            }
            await reader.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        lock (codes) return new Result(sent, connections, new Dictionary<int, long>(codes));
    }

    private static async Task ReadAnswersAsync(Socket socket, Dictionary<int, long> codes)
    {
        var buffer = new byte[65536];
        var filled = 0;
        try
        {
            int received;
            while ((received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None)) > 0)
            {
                filled += received;
                var consumed = 0;
                while (filled - consumed >= 4)
                {
                    var frame = buffer.AsSpan(consumed, filled - consumed);
                    var length = (frame[0] & 0xC0) == 0
                        ? 20 + BinaryPrimitives.ReadUInt16BigEndian(frame[2..])
                        : 4 + ((BinaryPrimitives.ReadUInt16BigEndian(frame[2..]) + 3) & ~3);
                    if (length > frame.Length) break;
                    var code = StunFlood.AnswerCode(frame[..length]);
                    lock (codes) codes[code] = codes.GetValueOrDefault(code) + 1;
                    consumed += length;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (SocketException)
        {
            // Reset by the server: this connection is over.
        }
        catch (ObjectDisposedException)
        {
            // Closed by us.
        }
    }
}
