using System.Globalization;
using System.Text;
using Admin.Data.Usage;

namespace Admin.Data.Exports;

/// <summary>
/// The usage CSV (for billing): one line per (period, realm, user name) with bytes (plain bytes, no prefix), packets
/// and allocation-seconds. "user" is the billing account (the user part of a TURN REST credential, see
/// <see cref="UsageUserPart"/>), "username" the name the client authenticated with; the last column so scripts
/// written for the earlier layout keep their column numbers. Lines end with "\n" on every platform. Realm and user
/// names are made formula-safe and quoted by <see cref="CsvExport.Cell"/>, like every export's cells.
/// </summary>
public static class UsageCsv
{
    public const string Header = "period_start,realm,user,bytes_in,bytes_out,packets_in,packets_out,allocation_seconds,username";

    /// <summary>Writes the header, then one line per row.</summary>
    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<UsageBillingRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        await writer.WriteAsync(Header + "\n");
        var line = new StringBuilder();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.Clear()
                .Append(row.PeriodStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(row.Realm)).Append(',').Append(Field(row.User)).Append(',')
                .Append(row.BytesIn.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.BytesOut.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.PacketsIn.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.PacketsOut.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.AllocationSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(row.Username)).Append('\n');
            await writer.WriteAsync(line, cancellationToken);
        }
    }

    /// <summary>One realm or user cell (<see cref="CsvExport.Cell"/>).</summary>
    public static string Field(string value) => CsvExport.Cell(value);
}
