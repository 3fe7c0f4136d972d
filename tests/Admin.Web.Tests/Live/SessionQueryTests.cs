using System.Net;
using Admin.Web.Live;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Live;

public sealed class SessionQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_FiltersSortsAndPages_OnTheSharedSnapshot()
    {
        var snapshot = Snapshot(10_000);

        var page = new SessionQuery(Scope: null, User: "user-00", SortBy: SessionColumn.BytesIn, Descending: true, Page: 1, PageSize: 25).Apply(snapshot);

        // user-0000 .. user-0099 match; sorted by bytes in, largest first; second page.
        Assert.Equal(100, page.Total);
        Assert.Equal(1, page.Page);
        Assert.Equal(25, page.Rows.Count);
        Assert.Equal("user-0074", page.Rows[0].Allocation.Username);
        Assert.True(page.Rows.Zip(page.Rows.Skip(1)).All(p => p.First.Allocation.BytesFromClient >= p.Second.Allocation.BytesFromClient));
    }

    [Fact]
    public void Apply_RealmAdminScope_NeverSeesOtherRealms_WhateverTheFilter()
    {
        var snapshot = Snapshot(100);

        var page = new SessionQuery(Scope: "even.example", Realm: "odd", PageSize: 500).Apply(snapshot);
        Assert.Equal(0, page.Total);
        var all = new SessionQuery(Scope: "even.example", PageSize: 500).Apply(snapshot);
        Assert.Equal(50, all.Total);
        Assert.All(all.Rows, r => Assert.Equal("even.example", r.Allocation.Realm));
    }

    [Fact]
    public void Apply_AddressFilterAndOutOfRangePage_ClampsToLastPage()
    {
        var snapshot = Snapshot(100);

        var page = new SessionQuery(Scope: null, Address: "10.0.0.7:", Page: 99, PageSize: 10).Apply(snapshot);

        Assert.Equal(1, page.Total);
        Assert.Equal(0, page.Page);
        Assert.Equal("user-0007", page.Rows.Single().Allocation.Username);
    }

    [Fact]
    public void Apply_EverySortColumn_Works()
    {
        var snapshot = Snapshot(50);
        foreach (var column in Enum.GetValues<SessionColumn>())
        {
            var asc = new SessionQuery(null, SortBy: column, PageSize: 50).Apply(snapshot).Rows;
            var desc = new SessionQuery(null, SortBy: column, Descending: true, PageSize: 50).Apply(snapshot).Rows;
            Assert.Equal(50, asc.Count);
            Assert.Equal(50, desc.Count);
        }
    }

    internal static LiveSnapshot Snapshot(int count)
    {
        var sessions = new List<LiveSession>(count);
        for (var i = 0; i < count; i++)
        {
            var client = new IPEndPoint(IPAddress.Parse($"10.0.{i / 250}.{i % 250}"), 40000 + i);
            var relayed = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 50000 + i % 10000);
            var allocation = new AllocationSnapshot($"id-{i:D5}", $"user-{i:D4}", i % 2 == 0 ? "even.example" : "odd.example", client, RelayTransport.Udp, relayed,
                Now.AddSeconds(-i), Now.AddSeconds(600 - i), [], [], i * 10L, i, i * 20L, i);
            sessions.Add(new LiveSession(allocation, $"{client} (UDP)", relayed.ToString(), i, i * 2));
        }
        return new LiveSnapshot(Now, sessions, RelaySample.Empty(Now));
    }
}
