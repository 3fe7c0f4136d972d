using Turn.Protocol;

namespace Turn.Relay.Methods;

/// <summary>An error answer a check decided on: the code and the reason phrase sent with it.</summary>
internal readonly record struct Refusal(StunErrorCode Code, string Reason)
{
    /// <summary>A refusal with the code's standard reason phrase.</summary>
    public static Refusal Standard(StunErrorCode code) => new(code, StunReasonPhrases.Get(code));
}
