namespace Turn.Relay.Transports.Linux;

/// <summary>A stream socket served by a <see cref="SocketEventLoop"/>: told on the loop's thread when it has bytes to read.</summary>
internal interface IStreamEventTarget
{
    /// <summary>Reads what is there without blocking and handles it; called on the loop's thread only.</summary>
    void OnReadable();
}
