namespace Turn.Relay.Seams;

/// <summary>
/// Which realm a client is offered before its first 401 (RFC 8656 ORIGIN, TLS SNI), and which realms exist (a TURN
/// REST user name may name its realm). Asked for every unauthenticated request, so every member answers from memory:
/// no I/O, no await. Implementations refresh their snapshot in the background. Null = no realm maps the value.
/// </summary>
public interface IRealmDirectory
{
    /// <summary>The realm an RFC 8656 ORIGIN value maps to (coturn's turn_origin_to_realm), or null.</summary>
    string? FindRealmByOrigin(string origin);

    /// <summary>The realm that lists <paramref name="hostName"/> (a TLS SNI name, any case), or null.</summary>
    string? FindRealmByHostName(string hostName);

    /// <summary>True when <paramref name="realm"/> exists (configured or stored).</summary>
    bool RealmExists(string realm);
}
