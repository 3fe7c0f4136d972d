using System.Net;
using System.Net.Sockets;
using System.Text;
using Turn.Protocol;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Mode (f) of issue 13: NUL and other control characters in USERNAME or REALM, in a request that otherwise looks
/// right (the server's own nonce, MESSAGE-INTEGRITY present). Refused with 400 up front, and PostgreSQL never sees
/// them (no database error in the server's log).
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class ControlCharacterTests(IsolatedServerFixture fixture, ITestOutputHelper output) : IClassFixture<IsolatedServerFixture>
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(3);

    public static TheoryData<string, string> Cases => new()
    {
        { "ali\0ce", ServedTurnstone.Realm },
        { "alice\0", ServedTurnstone.Realm },
        { "ali\u0001ce", ServedTurnstone.Realm },
        { "ali\nce", ServedTurnstone.Realm },
        { "ali\u007fce", ServedTurnstone.Realm },
        { ServedTurnstone.User, ServedTurnstone.Realm + "\0" },
        { ServedTurnstone.User, "hostile\0.test" },
        { ServedTurnstone.User, ServedTurnstone.Realm + "\r" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ControlCharacterInUserNameOrRealm_Gets400_AndNoDatabaseError(string user, string realm)
    {
        var server = fixture.Server;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.90"), 0));
        socket.Connect(server.UdpEndPoint);

        // The server's own nonce, from an unauthenticated Allocate.
        var challenge = await ExchangeAsync(socket, (ref StunMessageWriter w) => { });
        Assert.Equal(401, challenge.Code);
        Assert.NotNull(challenge.Nonce);

        var answer = await ExchangeAsync(socket, (ref StunMessageWriter w) =>
        {
            w.WriteString(StunAttributeType.Username, user);
            w.WriteString(StunAttributeType.Realm, realm);
            w.WriteString(StunAttributeType.Nonce, challenge.Nonce);
            w.WriteMessageIntegrity(LongTermKey.Compute(user, realm, ServedTurnstone.Password));
        });
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // a log line written after the answer still counts
        // The whole log of this class's own server, not only this case's part: the engine logs a store failure at most
        // once per 30 s, so a database error an earlier case caused may stand for this one's too.
        var log = server.Log;
        output.WriteLine($"USERNAME {Escape(user)}, REALM {Escape(realm)}: {answer.Code}");
        FiguresLog.Write(output, "f: control characters", $"[f: USERNAME {Escape(user)} REALM {Escape(realm)}] answer {answer.Code}; database error in the server's log so far: {HasDatabaseError(log)}");

        server.AssertAlive();
        Assert.Equal(400, answer.Code);
        Assert.False(HasDatabaseError(log), $"The server logged a database error:\n{log}");
    }

    private static bool HasDatabaseError(string log) =>
        log.Contains("22021", StringComparison.Ordinal) || log.Contains("PostgresException", StringComparison.Ordinal) || log.Contains("Npgsql", StringComparison.Ordinal);

    private static string Escape(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));

    private delegate void AttributeWriter(ref StunMessageWriter writer);

    private sealed record Answer(int Code, string? Nonce);

    private static async Task<Answer> ExchangeAsync(Socket socket, AttributeWriter credentials)
    {
        var id = TransactionId.NewRandom();
        var request = new byte[1024];
        var writer = new StunMessageWriter(request);
        writer.WriteHeader(StunMethod.Allocate, StunClass.Request, id);
        writer.WriteRequestedTransport(17);
        credentials(ref writer);
        writer.WriteFingerprint();
        Assert.False(writer.HasFailed);
        await socket.SendAsync(request.AsMemory(0, writer.Length), SocketFlags.None);

        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return new Answer(-1, null); // no answer at all
            }
            if (Parse(buffer.AsSpan(0, received), id) is { } answer) return answer;
        }
    }

    private static Answer? Parse(ReadOnlySpan<byte> message, TransactionId id)
    {
        if (StunMessageReader.TryParse(message, out var reader) != StunParseError.None || reader.TransactionId != id) return null;
        var code = reader.Class != StunClass.ErrorResponse ? 0
            : reader.TryGetAttribute(StunAttributeType.ErrorCode, out var error) && error.TryReadErrorCode(out var value, out _) ? value : -1;
        var nonce = reader.TryGetValue(StunAttributeType.Nonce, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return new Answer(code, nonce);
    }
}
