namespace Turn.Relay.Transports.Linux;

/// <summary>
/// Work a <see cref="SocketEventLoop"/> thread does around each batch of datagrams it reads with one
/// recvmmsg: the loop only knows that there is something to open before the handlers run and to
/// flush after them (<see cref="StreamSendBatch"/> joins what the batch sends to one TCP client).
/// Called on the loop thread only; must not allocate, lock or log per call.
/// </summary>
internal interface IReceiveBatchHook
{
    /// <summary>A batch is about to be handled on this thread.</summary>
    void BatchStarting();

    /// <summary>The batch was handled: sends held back for it go out now.</summary>
    void BatchHandled();
}
