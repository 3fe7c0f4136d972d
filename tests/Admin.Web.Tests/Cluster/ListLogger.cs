using Microsoft.Extensions.Logging;

namespace Admin.Web.Tests.Cluster;

/// <summary>Keeps every log entry (level and event id) for assertions on what was logged and how often.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, EventId Id)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId Id)> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add((logLevel, eventId));
    }
}
