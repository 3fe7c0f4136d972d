using System.Text;
using Admin.Data.Administration;

namespace Admin.Data.Exports;

/// <summary>
/// The CSV format of user import and export, shared by the portal and the API (<see cref="UserExport"/> writes it). The first line is a header:
/// "user,password" or "user,hmackey" (case-insensitive; "name" may stand for "user"). Fields may be quoted
/// with '"' (RFC 4180, "" for a quote). Blank lines are skipped. Export writes "user,hmackey", each user cell made
/// formula-safe by <see cref="CsvExport.Cell"/> (a name starting with =, +, -, @, tab, CR or ' gets a leading ').
/// So that an exported file imports back to the same names, the import drops one leading ' from the user field
/// (<see cref="CsvExport.UnescapeCell"/>): a hand-written file names a user starting with ' as ''name. Passwords are
/// taken as written (exports never contain them).
/// </summary>
public static class UserCsv
{
    /// <summary>Most data lines one import accepts, so a huge upload cannot exhaust memory.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Parses the whole input; syntax problems come back as errors with their line numbers, never as exceptions.</summary>
    public static (IReadOnlyList<UserImportRow> Rows, IReadOnlyList<UserImportError> Errors) Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<UserImportRow>();
        var errors = new List<UserImportError>();
        bool? byPassword = null;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (!TrySplit(line, out var fields, out var syntaxError))
            {
                errors.Add(new UserImportError(lineNumber, null, syntaxError));
                continue;
            }
            if (byPassword is null)
            {
                byPassword = ParseHeader(fields);
                if (byPassword is null)
                {
                    errors.Add(new UserImportError(lineNumber, null, "The first line must be the header 'user,password' or 'user,hmackey'."));
                    return (rows, errors);
                }
                continue;
            }
            if (fields.Count != 2)
            {
                errors.Add(new UserImportError(lineNumber, fields.Count > 0 ? fields[0] : null, $"Expected 2 fields, found {fields.Count}."));
                continue;
            }
            if (rows.Count >= MaxRows)
            {
                errors.Add(new UserImportError(lineNumber, null, $"More than {MaxRows} users in one import; split the file."));
                break;
            }
            rows.Add(byPassword.Value
                ? new UserImportRow(lineNumber, CsvExport.UnescapeCell(fields[0]), fields[1], null)
                : new UserImportRow(lineNumber, CsvExport.UnescapeCell(fields[0]), null, CsvExport.UnescapeCell(fields[1])));
        }
        if (byPassword is null) errors.Add(new UserImportError(0, null, "The file is empty: expected the header 'user,password' or 'user,hmackey'."));
        return (rows, errors);
    }

    /// <summary>Writes "user,hmackey" then one line per user, quoting fields where needed.</summary>
    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<UserKeyRow> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(users);
        await writer.WriteLineAsync("user,hmackey");
        await foreach (var user in users.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync($"{CsvExport.Cell(user.Name)},{CsvExport.Cell(user.HmacKey)}");
        }
    }

    private static bool? ParseHeader(List<string> fields)
    {
        if (fields.Count != 2) return null;
        var first = fields[0].Trim().ToLowerInvariant();
        if (first is not ("user" or "name" or "username")) return null;
        return fields[1].Trim().ToLowerInvariant() switch
        {
            "password" => true,
            "hmackey" or "key" => false,
            _ => null,
        };
    }

    private static bool TrySplit(string line, out List<string> fields, out string error)
    {
        fields = [];
        error = "";
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = "A quoted field is not closed (fields spanning lines are not supported).";
                        return false;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                {
                    error = "Unexpected text after a quoted field.";
                    return false;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return true;
            i++; // the comma
        }
    }
}
