namespace Admin.Web.Portal;

/// <summary>
/// Turns an <see cref="IceTestResult"/> into one sentence an operator can act on. Candidate errors are read first,
/// since they say why: 401 means the relay refused the credentials (wrong realm, or a secret the relay does not
/// know); 701 means the browser could not talk to the TURN server at all (for turns: mostly the certificate or the
/// TLS handshake). Without an error code, no relay candidate means the packets got no answer (ports or firewall).
/// </summary>
public static class IceTestDiagnosis
{
    public static (bool Ok, string Text) Diagnose(IceTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Failure is null && result.Opened)
            return (true, $"Works: relay candidates gathered and a data channel opened through the relay over {Name(result.Transport)}.");
        if (result.Failure == "no-url")
            return (false, result.Transport == "turns"
                ? "No turns: URL was vended: TLS is off or no certificate a browser accepts is presented for this realm's host (a generated self-signed certificate does not count). See the Server page."
                : $"No {Name(result.Transport)} URL was vended for this realm.");
        var codes = result.Errors.Select(e => e.Code).ToHashSet();
        if (codes.Contains(401))
            return (false, "401 Unauthorized: the relay refused the credentials. The realm or its shared secret is not the one the relay uses (check the realm's secrets, Relay:DefaultRealm, and that every node shares the database).");
        if (codes.Contains(701))
            return (false, result.Transport == "turns"
                ? "701: the browser could not reach the TURN server over TLS: the certificate (name, chain, expiry) or the TLS handshake failed, or the TLS port is blocked."
                : $"701: the browser could not reach the TURN server over {Name(result.Transport)}: nothing answers on that address and port (relay stopped, port closed or firewalled).");
        if (result.Failure == "no-relay-candidates" || result.RelayCandidates == 0)
            return (false, $"No relay candidates within the time limit: the TURN server did not answer over {Name(result.Transport)}. Check that the port is open in every firewall between this browser and the relay.");
        if (result.Failure == "channel-timeout")
            return (false, "Timeout: relay candidates were gathered but the data channel did not open. The relay could not reach its own relayed addresses: check the relay port range (Relay:MinPort–MaxPort) in the firewall, Relay:ExternalAddress behind NAT, and the peer rules.");
        return (false, "The test failed: " + result.Failure);
    }

    private static string Name(string transport) => transport switch
    {
        "udp" => "UDP",
        "tcp" => "TCP",
        "turns" => "TLS (turns:)",
        _ => transport,
    };
}
