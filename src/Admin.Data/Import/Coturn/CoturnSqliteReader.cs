using Microsoft.Data.Sqlite;

namespace Admin.Data.Import.Coturn;

/// <summary>
/// Reads coturn's SQLite user database (as turnadmin -b and turnserver --db write it), read-only: the file is never
/// changed, so a running coturn can keep using it during the move.
/// </summary>
public static class CoturnSqliteReader
{
    public static async Task<CoturnDatabaseContent> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The coturn database '{path}' does not exist.", path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        var tables = await TablesAsync(connection, cancellationToken);
        var missing = new List<string>();

        async Task<IReadOnlyList<CoturnRow>> Read(string table, params string[] columns)
        {
            if (!tables.Contains(table))
            {
                missing.Add(table);
                return [];
            }
            return await ReadTableAsync(connection, table, columns, cancellationToken);
        }

        return new CoturnDatabaseContent(
            await Read("turnusers_lt", "realm", "name", "hmackey"),
            await Read("turn_secret", "realm", "value"),
            await Read("turn_realm_option", "realm", "opt", "value"),
            await Read("turn_origin_to_realm", "origin", "realm"),
            await Read("allowed_peer_ip", "realm", "ip_range"),
            await Read("denied_peer_ip", "realm", "ip_range"),
            await Read("admin_user", "name", "realm", "password"),
            await Read("oauth_key", "kid"),
            missing);
    }

    private static async Task<HashSet<string>> TablesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task<IReadOnlyList<CoturnRow>> ReadTableAsync(
        SqliteConnection connection, string table, string[] columns, CancellationToken cancellationToken)
    {
        var rows = new List<CoturnRow>();
        await using var command = connection.CreateCommand();
        // Table and column names are constants above, never input.
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table} ORDER BY {string.Join(", ", columns)}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var number = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            number++;
            var fields = new string?[columns.Length];
            // coturn's char(n) columns come back padded; TEXT affinity may also hold numbers.
            for (var i = 0; i < columns.Length; i++) fields[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)?.Trim();
            rows.Add(new CoturnRow($"turndb {table} row {number}", fields));
        }
        return rows;
    }
}
