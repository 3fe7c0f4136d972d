using System.Text;
using Turn.Protocol;
using Turn.Relay.Seams;
using Turn.Relay.Transports;

namespace Turn.Relay.Realms;

/// <summary>
/// Picks the realm offered in a 401 or 438 (issue 12), first match wins:
/// <list type="number">
/// <item>an ORIGIN attribute (0x802F), canonicalized as coturn does (<see cref="StunOrigin"/>), that
/// <see cref="IRealmDirectory.FindRealmByOrigin"/> maps; several ORIGINs are tried in order, as coturn does (the first 8);</item>
/// <item>the TLS SNI host name (<see cref="ClientConnection.ServerName"/>) through <see cref="IRealmDirectory.FindRealmByHostName"/>;</item>
/// <item>the server address the client reached (<see cref="ClientConnection.Local"/>) through Relay:AddressRealms;</item>
/// <item>Relay:DefaultRealm.</item>
/// </list>
/// Runs only when a challenge is about to be sent (after the answer budget allowed it), never per packet; the
/// directory answers from memory.
/// </summary>
internal sealed class RealmSelector(IRealmDirectory directory, AddressRealmMap addressRealms, string defaultRealm)
{
    // RFC 8489 section 14 bounds REALM and NONCE to 763 bytes; an ORIGIN longer than that is not a web origin.
    private const int MaxOriginBytes = 762;

    // A browser sends one ORIGIN; a request stuffed with hundreds must not buy hundreds of lookups per challenge.
    private const int MaxOrigins = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string DefaultRealm => defaultRealm;

    /// <summary>The realm to offer the client of <paramref name="connection"/> that sent <paramref name="request"/>.</summary>
    public string Select(ClientConnection connection, in StunMessageReader request)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tried = 0;
        foreach (var origin in request.GetAttributes(StunAttributeType.Origin))
        {
            if (FindByOrigin(origin.Value) is { } byOrigin) return byOrigin;
            if (++tried == MaxOrigins) break;
        }
        return SelectWithoutOrigin(connection);
    }

    /// <summary>Steps 2-4 (no ORIGIN): the SNI host name, the address reached, the default.</summary>
    public string SelectWithoutOrigin(ClientConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.ServerName is { Length: > 0 } serverName && directory.FindRealmByHostName(serverName) is { } byName) return byName;
        return addressRealms.Find(connection.Local) ?? defaultRealm;
    }

    private string? FindByOrigin(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0 || value.Length > MaxOriginBytes) return null;
        string text;
        try
        {
            text = StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return directory.FindRealmByOrigin(StunOrigin.Canonicalize(text));
    }
}
