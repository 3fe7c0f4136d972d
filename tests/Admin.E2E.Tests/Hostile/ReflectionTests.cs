using System.Globalization;
using System.Net;
using Turn.Protocol;
using Xunit.Abstractions;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Mode (d) of issue 13: one source sends 5,000 unauthenticated requests of one method in a second. What comes back
/// is what a spoofed flood would reflect onto a victim: capped per source at the documented answer limit.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", HostileCollection.Category)]
public sealed class ReflectionTests(HostileServerFixture fixture, ITestOutputHelper output)
{
    // Count-bounded (5,000 at 5,000/s): the duration is only a backstop.
    private static readonly TimeSpan FloodDuration = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(StunMethod.Allocate, 81)]
    [InlineData(StunMethod.Refresh, 82)]
    [InlineData(StunMethod.CreatePermission, 83)]
    [InlineData(StunMethod.ChannelBind, 84)]
    [InlineData(StunMethod.Binding, 85)]
    public async Task UnauthenticatedRequests_5000PerSecondFromOneSource_AnswersAreCapped(StunMethod method, byte sourceOctet)
    {
        // Each method from its own address, so each run starts with a full answer budget, in a /24 of their own
        // (127.0.5.0/24): the legitimate clients of the other tests on 127.0.0.1 keep their prefix's budget.
        var template = FloodTemplate.Unauthenticated(method);
        using var socket = FloodSources.CreateAt(fixture.Server.UdpEndPoint, new IPAddress([127, 0, 5, sourceOctet]));
        var plan = new FloodPlan([template], [socket], HostileBars.ReflectionRequestsPerSecond, HostileBars.ReflectionRequestsPerSecond, FloodDuration) { CountAnswers = true };

        var result = await StunFlood.RunAsync(plan);
        FiguresLog.Write(output, $"d: unauthenticated {method}",
            string.Create(CultureInfo.InvariantCulture, $"[d: unauthenticated {method}, {HostileBars.ReflectionRequestsPerSecond}/s, one source] {result}; {template.Message.Length} B per request"));

        fixture.Server.AssertAlive();
        Assert.Equal(HostileBars.ReflectionRequestsPerSecond, result.Sent);
        // Budget: the burst plus the rate over the flood and the time answers were still counted.
        var seconds = result.Elapsed.TotalSeconds + plan.AnswerGrace.TotalSeconds;
        var allowed = HostileBars.UnauthenticatedAnswerBurst + (long)Math.Ceiling(HostileBars.UnauthenticatedAnswersPerSecond * seconds);
        Assert.True(result.Answers <= allowed, $"{result.Answers} answers to one source's {result.Sent} unauthenticated {method} requests; the documented limit allows {allowed}. {result}");
        Assert.Equal(0, result.AnswersWithCode(500));
    }
}
