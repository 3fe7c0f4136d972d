namespace Turn.Relay.Seams;

/// <summary>How an allocation's user authenticated.</summary>
public enum RelayCredentialKind
{
    /// <summary>A stored long-term key (turnusers_lt, Relay:Users).</summary>
    LongTerm,

    /// <summary>A TURN REST ephemeral credential signed with one of the realm's shared secrets.</summary>
    RestApi,
}
