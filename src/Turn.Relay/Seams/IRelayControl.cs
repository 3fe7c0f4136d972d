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
    /// ones run until they expire or are deleted. Cannot be undone without a restart.
    /// </summary>
    void Drain();

    /// <summary>True after <see cref="Drain"/>.</summary>
    bool IsDraining { get; }
}
