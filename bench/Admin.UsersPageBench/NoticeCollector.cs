using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Admin.UsersPageBench;

/// <summary>
/// A logger provider for Npgsql that keeps the server notices it logs ("Received notice: ..."): with
/// auto_explain and client_min_messages=log, those are the executed plans.
/// </summary>
public sealed class NoticeCollector : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> Plans { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception);
        if (message.StartsWith("Received notice: ", StringComparison.Ordinal) && message.Contains("FROM turnusers_lt", StringComparison.Ordinal))
            Plans.Enqueue(message["Received notice: ".Length..]);
    }

    public void Dispose()
    {
    }
}
