namespace Turn.Relay.Seams;

/// <summary>Administrative commands into the engine, for the portal and CLI.</summary>
public interface IRelayControl
{
    /// <summary>Deletes one allocation; its client gets 437 on its next Refresh. False when unknown.</summary>
    bool TerminateAllocation(string allocationId);

    /// <summary>Deletes every allocation of a user in a realm; returns how many.</summary>
    int TerminateUser(string realm, string username);

    /// <summary>
    /// Deletes every allocation in <paramref name="realm"/> whose TURN REST credentials were signed with the
    /// secret whose lowercase hex SHA-256 (of its UTF-8 bytes) is <paramref name="secretSha256"/>; returns how many.
    /// </summary>
    int TerminateBySecret(string realm, string secretSha256);

    /// <summary>Deletes every allocation authenticated with credentials of <paramref name="kind"/>; returns how many.</summary>
    int TerminateByCredentialKind(RelayCredentialKind kind);

    /// <summary>
    /// Stops accepting new allocations (Allocate gets 508 with a "draining" reason) while existing
    /// ones run until they expire or are deleted: before a restart or a move, so clients go to
    /// another server while nobody's call is cut. <see cref="Resume"/> undoes it. False when it was
    /// already draining (of two callers at once, exactly one gets true).
    /// </summary>
    bool Drain();

    /// <summary>Accepts new allocations again after <see cref="Drain"/>. False when it was not draining.</summary>
    bool Resume();

    /// <summary>True from <see cref="Drain"/> until <see cref="Resume"/>.</summary>
    bool IsDraining { get; }
}
