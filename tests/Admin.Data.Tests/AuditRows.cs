using Npgsql;

namespace Admin.Data.Tests;

/// <summary>Reads a realm's (or a target's) audit rows in order, with all their text joined for "never contains a secret" checks.</summary>
internal sealed record AuditRows(string Admin, string Action, string Target, string? Realm, string? Details, string? ClientAddress)
{
    public string All => string.Join("\n", Admin, Action, Target, Realm, Details, ClientAddress);

    public static Task<List<AuditRows>> ReadAsync(AdminDataFixture fixture, string? realm) =>
        QueryAsync(fixture, "realm IS NOT DISTINCT FROM $1", realm);

    /// <summary>The rows about one target (an admin's name, "admin/prefix" for a token), whatever their realm.</summary>
    public static Task<List<AuditRows>> ReadByTargetAsync(AdminDataFixture fixture, string target) =>
        QueryAsync(fixture, "target = $1", target);

    private static async Task<List<AuditRows>> QueryAsync(AdminDataFixture fixture, string condition, string? value)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT admin, action, target, realm, details::text, client_address FROM turnstone_audit_log WHERE {condition} ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRows>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRows(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return rows;
    }
}
