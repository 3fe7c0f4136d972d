using System.Text;
using Turn.Protocol;

namespace Turnstone.SetupLoad;

/// <summary>
/// One client's session setup, as a browser makes it: Allocate (answered 401 with the realm and a nonce), Allocate with
/// the long-term credential, CreatePermission and ChannelBind for one peer. Over UDP a request unanswered is sent again
/// after 500 ms, doubling, at most 7 times (RFC 8489 section 6.2.1); over TCP it is sent once.
/// </summary>
internal sealed class TurnSession(TurnConnection connection, SetupLoadOptions options)
{
    private const ushort Channel = 0x4000;
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(39.5);

    private readonly byte[] _request = new byte[512];
    private readonly byte[] _answer = new byte[2048];
    private readonly TransportAddress _peer = TransportAddress.FromIPEndPoint(options.Peer);
    private string? _realm;
    private string? _nonce;
    private byte[]? _key;

    /// <summary>Requests sent again after a timeout.</summary>
    public int Retransmits { get; private set; }

    /// <summary>Sets the session up; throws <see cref="SessionFailedException"/> with the step and the answer.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var challenge = await ExchangeAsync(StunMethod.Allocate, authenticate: false, cancellationToken).ConfigureAwait(false);
        if (challenge.Error != 401 || challenge.Nonce is null || challenge.Realm is null)
            throw new SessionFailedException("Allocate (unauthenticated)", challenge.Error);
        _realm = challenge.Realm;
        _nonce = challenge.Nonce;
        _key = LongTermKey.Compute(options.User, _realm, options.Password);
        await ExpectSuccessAsync(StunMethod.Allocate, cancellationToken).ConfigureAwait(false);
        await ExpectSuccessAsync(StunMethod.CreatePermission, cancellationToken).ConfigureAwait(false);
        await ExpectSuccessAsync(StunMethod.ChannelBind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the allocation (Refresh with LIFETIME 0), outside the measured window.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_key is null) return;
        await ExchangeAsync(StunMethod.Refresh, authenticate: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExpectSuccessAsync(StunMethod method, CancellationToken cancellationToken)
    {
        var answer = await ExchangeAsync(method, authenticate: true, cancellationToken).ConfigureAwait(false);
        if (answer.Error == 438 && answer.Nonce is not null)
        {
            // Stale nonce: the server's rotation; take the new one and ask again, as a client must.
            _nonce = answer.Nonce;
            answer = await ExchangeAsync(method, authenticate: true, cancellationToken).ConfigureAwait(false);
        }
        if (!answer.Success) throw new SessionFailedException(method.ToString(), answer.Error);
    }

    private async Task<Answer> ExchangeAsync(StunMethod method, bool authenticate, CancellationToken cancellationToken)
    {
        var id = TransactionId.NewRandom();
        var length = Write(method, id, authenticate);
        if (connection.IsStream)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StreamTimeout);
            await connection.SendAsync(_request.AsMemory(0, length), timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await connection.ReceiveAsync(_answer, timeout.Token).ConfigureAwait(false);
                if (received == 0) throw new SessionFailedException(method + " (the server closed the connection)", 0);
                if (TryRead(received, id, out var answer)) return answer;
            }
        }
        var rto = TimeSpan.FromMilliseconds(500);
        for (var attempt = 0; attempt < 7; attempt++)
        {
            if (attempt > 0) Retransmits++;
            await connection.SendAsync(_request.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(rto);
            try
            {
                while (true)
                {
                    var received = await connection.ReceiveAsync(_answer, timeout.Token).ConfigureAwait(false);
                    if (TryRead(received, id, out var answer)) return answer;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                rto *= 2;
            }
        }
        throw new SessionFailedException(method + " (no answer after 7 sends)", 0);
    }

    private int Write(StunMethod method, TransactionId id, bool authenticate)
    {
        var writer = new StunMessageWriter(_request);
        writer.WriteHeader(method, StunClass.Request, id);
        switch (method)
        {
            case StunMethod.Allocate:
                writer.WriteRequestedTransport(17);
                break;
            case StunMethod.CreatePermission:
                writer.WriteXorAddress(StunAttributeType.XorPeerAddress, _peer);
                break;
            case StunMethod.ChannelBind:
                writer.WriteChannelNumber(Channel);
                writer.WriteXorAddress(StunAttributeType.XorPeerAddress, _peer);
                break;
            case StunMethod.Refresh:
                writer.WriteLifetime(0);
                break;
        }
        if (authenticate)
        {
            writer.WriteString(StunAttributeType.Username, options.User);
            writer.WriteString(StunAttributeType.Realm, _realm);
            writer.WriteString(StunAttributeType.Nonce, _nonce);
            writer.WriteMessageIntegrity(_key);
        }
        writer.WriteFingerprint();
        if (writer.HasFailed) throw new InvalidOperationException(method + " did not fit its buffer.");
        return writer.Length;
    }

    private bool TryRead(int received, TransactionId id, out Answer answer)
    {
        answer = default;
        if (StunMessageReader.TryParse(_answer.AsSpan(0, received), out var message) != StunParseError.None || message.TransactionId != id) return false;
        var error = message.TryGetAttribute(StunAttributeType.ErrorCode, out var code) && code.TryReadErrorCode(out var number, out _) ? number : 0;
        var nonce = message.TryGetValue(StunAttributeType.Nonce, out var n) ? Encoding.UTF8.GetString(n) : null;
        var realm = message.TryGetValue(StunAttributeType.Realm, out var r) ? Encoding.UTF8.GetString(r) : null;
        answer = new Answer(message.Class == StunClass.SuccessResponse, error, nonce, realm);
        return true;
    }

    private readonly record struct Answer(bool Success, int Error, string? Nonce, string? Realm);
}

/// <summary>A session that did not set up: the step, and the error code the server answered (0: none).</summary>
internal sealed class SessionFailedException(string step, int error) : Exception($"{step} failed{(error == 0 ? "" : $" with {error}")}.")
{
    public string Step { get; } = step;

    public int Error { get; } = error;
}
