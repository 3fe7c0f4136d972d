using System.Net;
using Admin.E2E.Tests.Relay;
using Turn.Protocol;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// Many UDP allocations held on one node for the load measurement: each from its own port of this namespace's bridge
/// address (its own 5-tuple), authenticated with the nonce the first challenge gave (a stale one is answered 438 and
/// retried), a bounded number in flight, each retried a few times on a lost answer. The sockets stay open (the
/// allocations live out their lifetime) until dispose.
/// </summary>
internal sealed class AllocationLoader : IAsyncDisposable
{
    private const int Attempts = 3;

    private readonly List<RawTurnClient> _held = [];

    public int Held
    {
        get
        {
            lock (_held) return _held.Count;
        }
    }

    public int Failed { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Creates <paramref name="count"/> allocations on <paramref name="server"/> as <paramref name="user"/>, <paramref name="concurrency"/> at a time.</summary>
    public async Task LoadAsync(IPEndPoint server, IPAddress local, string realm, string user, string password, int count, int concurrency, CancellationToken cancellationToken)
    {
        string? nonce = null;
        using var gate = new SemaphoreSlim(concurrency);
        var work = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync(cancellationToken);
            work.Add(Task.Run(async () =>
            {
                try
                {
                    for (var attempt = 0; attempt < Attempts; attempt++)
                    {
                        var client = RawTurnClient.Udp(server, local);
                        (client.Username, client.Password, client.Realm, client.Nonce) = (user, password, realm, nonce);
                        try
                        {
                            var answer = await client.AuthenticatedAsync(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17));
                            if (answer.ErrorCode == 0)
                            {
                                nonce = client.Nonce;
                                lock (_held) _held.Add(client);
                                return;
                            }
                            LastError = $"Allocate answered {answer.ErrorCode}";
                        }
                        catch (OperationCanceledException)
                        {
                            LastError = "no answer within 3 s";
                        }
                        await client.DisposeAsync();
                    }
                    lock (_held) Failed++;
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(work);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _held) await client.DisposeAsync();
        _held.Clear();
    }
}
