namespace Admin.Web.Portal;

/// <summary>One ICE candidate the browser gathered in an ICE test (peer "a" or "b" of the loop).</summary>
public sealed record IceTestCandidate(string Peer, string? Type, string? Protocol, string? Address, int? Port, string? RelayProtocol);
