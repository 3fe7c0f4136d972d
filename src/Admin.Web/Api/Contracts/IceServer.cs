namespace Admin.Web.Api.Contracts;

/// <summary>One RTCIceServer, ready for new RTCPeerConnection({ iceServers }).</summary>
public sealed record IceServer(IReadOnlyList<string> Urls, string Username, string Credential);
