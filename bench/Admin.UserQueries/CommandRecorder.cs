using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Admin.UserQueries;

/// <summary>
/// Records the statements the service really runs (text, parameters, duration), so the benchmark can time each one
/// and EXPLAIN exactly that SQL rather than a hand-written copy of it.
/// </summary>
internal sealed class CommandRecorder : DbCommandInterceptor
{
    private readonly List<RecordedCommand> _commands = [];

    public IReadOnlyList<RecordedCommand> Commands
    {
        get { lock (_commands) return [.. _commands]; }
    }

    public void Clear()
    {
        lock (_commands) _commands.Clear();
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command, TimeSpan duration)
    {
        var parameters = command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToList();
        lock (_commands) _commands.Add(new RecordedCommand(command.CommandText, parameters, duration));
    }
}
