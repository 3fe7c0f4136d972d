namespace Admin.Web.Live;

/// <summary>
/// The dashboard's memory: the last 15 minutes of per-second samples and the last 24 hours of per-minute samples, in
/// fixed rings (nothing grows; about 150 KB for the day). A minute's sample averages its seconds' bit rates, sums their event counts and keeps
/// the last allocation count. Written by <see cref="LiveRelayFeed"/> once per tick, read by any circuit.
/// </summary>
public sealed class RelaySampleHistory
{
    public const int SecondsKept = 15 * 60;
    public const int MinutesKept = 24 * 60;

    private readonly Lock _lock = new();
    private readonly RelaySample[] _seconds = new RelaySample[SecondsKept];
    private readonly RelaySample[] _minutes = new RelaySample[MinutesKept];
    private int _secondCount;
    private int _secondNext;
    private int _minuteCount;
    private int _minuteNext;
    private MinuteAccumulator? _open;

    public void Add(RelaySample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_lock)
        {
            _seconds[_secondNext] = sample;
            _secondNext = (_secondNext + 1) % SecondsKept;
            _secondCount = Math.Min(_secondCount + 1, SecondsKept);

            var minute = new DateTimeOffset(sample.At.UtcTicks - sample.At.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
            if (_open is not null && _open.Minute != minute)
            {
                _minutes[_minuteNext] = _open.ToSample();
                _minuteNext = (_minuteNext + 1) % MinutesKept;
                _minuteCount = Math.Min(_minuteCount + 1, MinutesKept);
                _open = null;
            }
            _open ??= new MinuteAccumulator(minute);
            _open.Add(sample);
        }
    }

    /// <summary>Per-second samples, oldest first (at most 15 minutes).</summary>
    public IReadOnlyList<RelaySample> Seconds()
    {
        lock (_lock) return Ordered(_seconds, _secondNext, _secondCount);
    }

    /// <summary>Per-minute samples, oldest first, the current (unfinished) minute last (at most 24 hours).</summary>
    public IReadOnlyList<RelaySample> Minutes()
    {
        lock (_lock)
        {
            var list = Ordered(_minutes, _minuteNext, _minuteCount);
            if (_open is not null)
            {
                if (list.Count == MinutesKept) list.RemoveAt(0);
                list.Add(_open.ToSample());
            }
            return list;
        }
    }

    /// <summary>Sums of the per-second samples in the last <paramref name="window"/> (e.g. allocations per minute).</summary>
    public RelaySample LastWindow(TimeSpan window)
    {
        lock (_lock)
        {
            var all = Ordered(_seconds, _secondNext, _secondCount);
            if (all.Count == 0) return RelaySample.Empty(DateTimeOffset.MinValue);
            var last = all[^1];
            var from = last.At - window;
            long created = 0, auth = 0, quota = 0;
            foreach (var s in all)
            {
                if (s.At <= from) continue;
                created += s.AllocationsCreated;
                auth += s.AuthFailures;
                quota += s.QuotaRejections;
            }
            return last with { AllocationsCreated = created, AuthFailures = auth, QuotaRejections = quota };
        }
    }

    private static List<RelaySample> Ordered(RelaySample[] ring, int next, int count)
    {
        var list = new List<RelaySample>(count);
        var start = (next - count + ring.Length) % ring.Length;
        for (var i = 0; i < count; i++) list.Add(ring[(start + i) % ring.Length]);
        return list;
    }

    private sealed class MinuteAccumulator(DateTimeOffset minute)
    {
        private int _seconds;
        private double _bitsIn;
        private double _bitsOut;
        private long _created;
        private long _auth;
        private long _quota;
        private RelaySample? _last;

        public DateTimeOffset Minute { get; } = minute;

        public void Add(RelaySample sample)
        {
            _seconds++;
            _bitsIn += sample.BitsPerSecondIn;
            _bitsOut += sample.BitsPerSecondOut;
            _created += sample.AllocationsCreated;
            _auth += sample.AuthFailures;
            _quota += sample.QuotaRejections;
            _last = sample;
        }

        public RelaySample ToSample() => _last! with
        {
            At = Minute,
            BitsPerSecondIn = _bitsIn / _seconds,
            BitsPerSecondOut = _bitsOut / _seconds,
            AllocationsCreated = _created,
            AuthFailures = _auth,
            QuotaRejections = _quota,
        };
    }
}
