using System.Diagnostics.Tracing;

namespace Turn.Benchmarks;

/// <summary>
/// `Turn.Benchmarks session-allocations [sessions]`: what the engine allocates per session setup, by type. Runs the
/// <see cref="SessionSetupBenchmarks"/> session (warm-up first), counts exact bytes with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, and samples types with the runtime's allocation ticks (one
/// event per about 100 KB allocated, so each type's share is statistical: run enough sessions).
/// </summary>
internal static class SessionAllocationProfile
{
    public static int Run(string[] args)
    {
        var sessions = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var (engine, endpoint, metrics) = SessionSetupBenchmarks.Create();
        var client = new SessionSetupBenchmarks.SessionClient(engine, endpoint);
        for (var i = 0; i < 2_000; i++) client.RunSession();

        using var ticks = new AllocationTicks();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < sessions; i++) client.RunSession();
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        ticks.Dispose();

        Console.WriteLine($"{sessions} sessions: {bytes / (double)sessions:F0} B allocated per session, {cpuUsed.TotalMicroseconds / sessions:F1} µs CPU per session (process, includes the sampler)");
        var total = ticks.ByType.Values.Sum();
        foreach (var (type, amount) in ticks.ByType.OrderByDescending(p => p.Value).Take(25))
            Console.WriteLine($"  {amount * 100.0 / total,5:F1} %  ~{bytes * (amount / (double)total) / sessions,6:F0} B/session  {type}");
        engine.Dispose();
        metrics.Dispose();
        return 0;
    }

    private sealed class AllocationTicks : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private volatile bool _stopped;

        public Dictionary<string, long> ByType { get; } = [];

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (_stopped || e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
            var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
            var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
            lock (ByType) ByType[type] = ByType.GetValueOrDefault(type) + amount;
        }

        public override void Dispose()
        {
            _stopped = true;
            base.Dispose();
        }
    }
}
