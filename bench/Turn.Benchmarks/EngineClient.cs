using Turn.Protocol;
using Turn.Relay.Engine;

namespace Turn.Benchmarks;

/// <summary>Runs the long-term credential exchange against the engine in memory (benchmark setup only).</summary>
internal sealed class EngineClient(RelayEngine engine, MemoryEndpoint endpoint, TransportAddress address)
{
    public delegate void Attributes(ref StunMessageWriter writer);

    private string? _nonce;
    private string _realm = Samples.Realm;

    /// <summary>Sends an authenticated request (after a 401 round for the nonce) and insists on success.</summary>
    public void Expect(StunMethod method, Attributes attributes)
    {
        if (_nonce is null)
        {
            var challenge = Send(method, attributes, authenticate: false);
            if (challenge.Error != 401 || challenge.Nonce is null) throw new InvalidOperationException($"Expected a 401 challenge, got {challenge.Error}.");
            _nonce = challenge.Nonce;
            _realm = challenge.Realm ?? _realm;
        }
        var answer = Send(method, attributes, authenticate: true);
        if (answer.Class != StunClass.SuccessResponse) throw new InvalidOperationException($"{method} failed with {answer.Error}.");
    }

    private (StunClass Class, int Error, string? Nonce, string? Realm) Send(StunMethod method, Attributes attributes, bool authenticate)
    {
        var buffer = new byte[1024];
        var writer = new StunMessageWriter(buffer);
        var id = TransactionId.NewRandom();
        writer.WriteHeader(method, StunClass.Request, id);
        attributes(ref writer);
        if (authenticate)
        {
            writer.WriteString(StunAttributeType.Username, Samples.User);
            writer.WriteString(StunAttributeType.Realm, _realm);
            writer.WriteString(StunAttributeType.Nonce, _nonce!);
            writer.WriteMessageIntegrity(LongTermKey.Compute(Samples.User, _realm, Samples.Password));
        }
        if (writer.HasFailed) throw new InvalidOperationException("Request did not fit.");
        var before = endpoint.Sent;
        engine.OnDatagram(endpoint, address, buffer.AsSpan(0, writer.Length));
        // The engine answers requests on an async path that completes at once with in-memory stores.
        var deadline = Environment.TickCount64 + 5_000;
        while (endpoint.Sent == before)
        {
            if (Environment.TickCount64 > deadline) throw new InvalidOperationException($"No answer to {method}.");
            Thread.Sleep(1);
        }
        if (StunMessageReader.TryParse(endpoint.LastSent, out var response) != StunParseError.None || response.TransactionId != id)
            throw new InvalidOperationException($"Unreadable answer to {method}.");
        var error = 0;
        if (response.TryGetAttribute(StunAttributeType.ErrorCode, out var code) && code.TryReadErrorCode(out var number, out _)) error = number;
        var nonce = response.TryGetValue(StunAttributeType.Nonce, out var n) ? System.Text.Encoding.UTF8.GetString(n) : null;
        var realm = response.TryGetValue(StunAttributeType.Realm, out var r) ? System.Text.Encoding.UTF8.GetString(r) : null;
        return (response.Class, error, nonce, realm);
    }
}
