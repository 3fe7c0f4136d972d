namespace Admin.Data.Usage;

/// <summary>
/// The row source every usage report reads: per-minute rows (with their node) and compacted hourly/daily rows (summed
/// over nodes), each with its billing user part (<see cref="UsageUserPart"/>) and whether it is a REST credential.
/// Parameters: $1 from, $2 to (timestamptz, [from, to)), $3 realm or null, $4 node or null.
/// </summary>
internal static class UsageSql
{
    public const string Rows = """
        (SELECT at, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds, rest,
                CASE WHEN NOT rest THEN name
                     WHEN right(tail, length(realm) + 1) = '@' || realm THEN left(tail, length(tail) - length(realm) - 1)
                     ELSE tail END AS user_part
           FROM (SELECT r.*, name ~ '^[0-9]+:' AS rest, substr(name, strpos(name, ':') + 1) AS tail
                   FROM (SELECT minute AS at, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds
                           FROM turnstone_usage_minute
                          WHERE minute >= $1 AND minute < $2 AND ($3::varchar IS NULL OR realm = $3) AND ($4::varchar IS NULL OR node = $4)
                         UNION ALL
                         SELECT period_start, realm, name, bytes_in, bytes_out, packets_in, packets_out, allocation_seconds
                           FROM turnstone_usage_period
                          WHERE period_start >= $1 AND period_start < $2 AND ($3::varchar IS NULL OR realm = $3) AND $4::varchar IS NULL) r) s) u
        """;

    /// <summary>A fixed word per enum value: the only text spliced into the SQL.</summary>
    public static string Field(UsageResolution resolution) => resolution switch
    {
        UsageResolution.Minute => "minute",
        UsageResolution.Hour => "hour",
        UsageResolution.Day => "day",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
    };
}
