using System.Net;
using Turn.Protocol;
using Turn.Relay.Diagnostics;
using Turn.Relay.Hosting;
using Turn.Relay.Requests;

namespace Turn.Relay.Tests.Requests;

/// <summary>The fixed-size per-source tables: token buckets (answer budget) and in-flight counts (admission).</summary>
public sealed class SourceLimiterTests
{
    private static TransportAddress At(string address, ushort port = 40000) => TransportAddress.FromIPAddress(IPAddress.Parse(address), port);

    [Fact]
    public void TokenBuckets_BurstThenRate()
    {
        var buckets = new SourceTokenBuckets(1024, perSecond: 10, burst: 5);
        for (var i = 0; i < 5; i++) Assert.True(buckets.TryTake(7, 1_000));
        Assert.False(buckets.TryTake(7, 1_000));
        Assert.False(buckets.TryTake(7, 1_099));
        Assert.True(buckets.TryTake(7, 1_100)); // 100 ms at 10/s = one token
        Assert.False(buckets.TryTake(7, 1_100));
        Assert.True(buckets.TryTake(8, 1_100)); // another bucket is untouched
        for (var i = 0; i < 5; i++) Assert.True(buckets.TryTake(7, 60_000)); // refilled to the burst, not beyond
        Assert.False(buckets.TryTake(7, 60_000));
    }

    [Fact]
    public void TokenBuckets_ManyDistinctSources_AllocateNothingAndKeepTheirSize()
    {
        var buckets = new SourceTokenBuckets(4096, perSecond: 1, burst: 1);
        buckets.TryTake(SourceSlots.For(TransportAddress.FromIPv4(1, 1), buckets.Mask, 1023).Source, 0); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200_000; i++)
        {
            var slots = SourceSlots.For(TransportAddress.FromIPv4((uint)i * 2_654_435_761u, 1), buckets.Mask, 1023);
            buckets.TryTake(slots.Source, i / 1000);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4096, buckets.Size);
    }

    [Fact]
    public void Slots_IgnorePorts_GroupIPv4By24_AndIPv6By64And56()
    {
        var a = SourceSlots.For(At("198.51.100.1", 1), 0xFFFF, 0xFFFF);
        Assert.Equal(a, SourceSlots.For(At("198.51.100.1", 2), 0xFFFF, 0xFFFF));
        Assert.Equal(a, SourceSlots.For(At("::ffff:198.51.100.1", 3), 0xFFFF, 0xFFFF));
        var neighbour = SourceSlots.For(At("198.51.100.200"), 0xFFFF, 0xFFFF);
        Assert.NotEqual(a.Source, neighbour.Source);
        Assert.Equal(a.Prefix, neighbour.Prefix);
        Assert.NotEqual(a.Prefix, SourceSlots.For(At("198.51.101.1"), 0xFFFF, 0xFFFF).Prefix);

        var v6 = SourceSlots.For(At("2001:db8:0:1::1"), 0xFFFF, 0xFFFF);
        Assert.Equal(v6.Source, SourceSlots.For(At("2001:db8:0:1:ffff::9"), 0xFFFF, 0xFFFF).Source);
        var otherSubnet = SourceSlots.For(At("2001:db8:0:2::1"), 0xFFFF, 0xFFFF);
        Assert.NotEqual(v6.Source, otherSubnet.Source);
        Assert.Equal(v6.Prefix, otherSubnet.Prefix);
        Assert.NotEqual(v6.Prefix, SourceSlots.For(At("2001:db8:0:100::1"), 0xFFFF, 0xFFFF).Prefix);
    }

    [Fact]
    public void Admission_OneSourceCannotTakeMoreThanItsShare_OthersStillEnter()
    {
        using var metrics = new RelayMetrics(new StandaloneMeterFactory());
        var admission = new RequestAdmission(metrics, perSource: 3, perPrefix: 5);
        var held = new List<SourceSlots>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(admission.TryEnter(At("198.51.100.1", (ushort)(1000 + i)), out var slots));
            held.Add(slots);
        }
        Assert.False(admission.TryEnter(At("198.51.100.1", 2000), out _));
        Assert.True(admission.TryEnter(At("198.51.100.2"), out var other));
        Assert.True(admission.TryEnter(At("198.51.100.3"), out var third));
        // The /24 has 5 in flight: a sixth source in it waits, another network does not.
        Assert.False(admission.TryEnter(At("198.51.100.4"), out _));
        Assert.True(admission.TryEnter(At("203.0.113.1"), out var elsewhere));
        Assert.Equal(6, admission.InFlight);

        admission.Leave(held[0]);
        Assert.True(admission.TryEnter(At("198.51.100.1", 3000), out _));
        foreach (var slots in new[] { held[1], held[2], other, third, elsewhere }) admission.Leave(slots);
        Assert.Equal(1, admission.InFlight);
    }

    [Fact]
    public void Admission_ZeroMeansNoPerSourceLimit()
    {
        using var metrics = new RelayMetrics(new StandaloneMeterFactory());
        var admission = new RequestAdmission(metrics);
        for (var i = 0; i < 2_048; i++) Assert.True(admission.TryEnter(At("198.51.100.1"), out _));
        Assert.False(admission.TryEnter(At("198.51.100.2"), out _)); // the server-wide bound
    }
}
