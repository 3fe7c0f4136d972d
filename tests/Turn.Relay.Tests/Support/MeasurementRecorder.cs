using System.Diagnostics.Metrics;

namespace Turn.Relay.Tests.Support;

/// <summary>
/// Records the long measurements of one meter's instruments. Only that meter: other tests run engines in
/// parallel on meters of the same name.
/// </summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Measurement> _measurements = [];

    public MeasurementRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var dictionary = new Dictionary<string, object?>();
            foreach (var tag in tags) dictionary[tag.Key] = tag.Value;
            lock (_measurements) _measurements.Add(new Measurement(instrument.Name, value, dictionary));
        });
        _listener.Start();
    }

    /// <summary>What was recorded so far, with the observable instruments read now.</summary>
    public IReadOnlyList<Measurement> Collect()
    {
        _listener.RecordObservableInstruments();
        lock (_measurements) return [.. _measurements];
    }

    public void Dispose() => _listener.Dispose();

    public sealed record Measurement(string Name, long Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value as string : null;
    }
}
