using System.Net.Sockets;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// What <see cref="StunFlood"/> sends: templates taken in turn, from sockets taken in turn (each connected to the
/// server), at <see cref="MessagesPerSecond"/> (0 = as fast as one thread can), until <see cref="MaxMessages"/> are
/// sent or <see cref="Duration"/> has passed, whichever comes first.
/// </summary>
internal sealed record FloodPlan(IReadOnlyList<FloodTemplate> Templates, IReadOnlyList<Socket> Sources, int MessagesPerSecond, long MaxMessages, TimeSpan Duration)
{
    /// <summary>Rewrite bytes 8-19 of every message of 20 bytes or more with random bytes (a new transaction each time).</summary>
    public bool VaryTransactionId { get; init; } = true;

    /// <summary>Read and classify the answers on every source until the flood ends plus <see cref="AnswerGrace"/>.</summary>
    public bool CountAnswers { get; init; }

    public TimeSpan AnswerGrace { get; init; } = TimeSpan.FromSeconds(1);
}
