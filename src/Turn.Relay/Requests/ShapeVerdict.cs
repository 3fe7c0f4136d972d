namespace Turn.Relay.Requests;

/// <summary>What <see cref="RequestShapeCheck"/> found; each refusal has its answer.</summary>
internal enum ShapeVerdict
{
    Ok,

    /// <summary>A method the server does not answer: 400.</summary>
    UnknownMethod,

    /// <summary>No MESSAGE-INTEGRITY(-SHA256): the first round trip of the long-term mechanism, 401.</summary>
    NoIntegrity,

    /// <summary>USERNAME/USERHASH, REALM or NONCE missing or oversized: 400.</summary>
    MissingCredentials,

    /// <summary>PASSWORD-ALGORITHM(S) do not match the offer (downgrade protection): 400.</summary>
    AlgorithmMismatch,

    /// <summary>USERNAME or REALM not UTF-8, or holding a control character (NUL, C0, DEL, C1): 400.</summary>
    BadCharacters,
}
