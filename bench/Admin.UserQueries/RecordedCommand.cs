using Npgsql;

namespace Admin.UserQueries;

/// <summary>One SQL statement the service ran: its text, a copy of its parameters, and how long PostgreSQL took.</summary>
internal sealed record RecordedCommand(string Text, IReadOnlyList<NpgsqlParameter> Parameters, TimeSpan Duration);
