namespace Turn.Protocol;

/// <summary>The answer of <see cref="StreamFraming.TryGetFrameLength"/>.</summary>
public enum StreamFrameStatus
{
    /// <summary>Too few bytes yet to know the next frame's length.</summary>
    NeedMoreData = 0,
    /// <summary>The next frame's length is known (it may not have fully arrived yet).</summary>
    Frame,
    /// <summary>The stream does not start with STUN or ChannelData: close the connection.</summary>
    Invalid,
}
