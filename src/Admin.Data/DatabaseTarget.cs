using Npgsql;

namespace Admin.Data;

/// <summary>Describes a connection string for messages: host, port, database and user, never the password.</summary>
public static class DatabaseTarget
{
    public static string Describe(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        var database = string.IsNullOrEmpty(builder.Database) ? builder.Username ?? "(default)" : builder.Database;
        return $"host {host}, port {builder.Port}, database {database}, user {builder.Username ?? "(default)"}";
    }
}
