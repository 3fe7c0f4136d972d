using System.Net;

namespace Turn.Relay.Seams;

/// <summary>A channel binding (RFC 8656 section 12): channel number to peer transport address.</summary>
public sealed record ChannelSnapshot(ushort Number, IPEndPoint Peer, DateTimeOffset Expires);
