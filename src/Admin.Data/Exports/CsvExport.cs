using System.Text;

namespace Admin.Data.Exports;

/// <summary>
/// A CSV download that has passed every refusal: access and input were checked, the export was audited where it
/// is audited, and the first row was read (so a missing database shows before anything is sent). What is left is
/// writing it; a caller sends its headers (<see cref="ContentType"/>, a file name) and then calls
/// <see cref="WriteToAsync"/>. Dispose it in every case: it holds the open row stream.
/// Every text cell of every export goes through <see cref="Cell"/>, the one place that makes cells formula-safe.
/// </summary>
public sealed class CsvExport : IAsyncDisposable
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>
    /// The prefix that stops a spreadsheet from running a cell as a formula (OWASP "CSV injection"); also the escape a
    /// re-import removes (see <see cref="UnescapeCell"/>).
    /// </summary>
    public const char FormulaEscape = '\'';

    private const int BufferSize = 64 * 1024;

    private readonly Func<TextWriter, CancellationToken, Task> _write;
    private readonly IAsyncDisposable _rows;

    internal CsvExport(Func<TextWriter, CancellationToken, Task> write, IAsyncDisposable rows)
    {
        _write = write;
        _rows = rows;
    }

    /// <summary>Writes the whole file as UTF-8 without a byte order mark; leaves <paramref name="stream"/> open.</summary>
    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), BufferSize, leaveOpen: true);
        await _write(writer, cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _rows.DisposeAsync();

    /// <summary>
    /// One text cell, safe to open in a spreadsheet: a value starting with =, +, -, @, tab or carriage return (which
    /// spreadsheets may run as a formula) gets a leading <see cref="FormulaEscape"/>, and so does a value that already
    /// starts with one, so the escape can always be undone (<see cref="UnescapeCell"/>). Then RFC 4180 quoting: a cell
    /// holding a comma, quote, CR or LF (or an empty one) is quoted, with "" for a quote.
    /// </summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (NeedsEscape(value)) value = FormulaEscape + value;
        return value.Length == 0 || value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>The value <see cref="Cell"/> was given, from a cell already unquoted: drops one leading <see cref="FormulaEscape"/>.</summary>
    public static string UnescapeCell(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Length > 0 && field[0] == FormulaEscape ? field[1..] : field;
    }

    private static bool NeedsEscape(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or FormulaEscape;

    /// <summary>
    /// Starts <paramref name="rows"/> (its first step runs the source's checks) and returns the export, or throws what
    /// that first step threw.
    /// </summary>
    internal static async Task<CsvExport> StartAsync<T>(
        IAsyncEnumerable<T> rows, Func<TextWriter, IAsyncEnumerable<T>, CancellationToken, Task> format, CancellationToken cancellationToken)
    {
        var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        bool any;
        try
        {
            any = await enumerator.MoveNextAsync();
        }
        catch
        {
            await enumerator.DisposeAsync();
            throw;
        }
        return new CsvExport((writer, token) => format(writer, Remaining(enumerator, any, token), token), enumerator);
    }

    // The rows again, from the one already read.
    private static async IAsyncEnumerable<T> Remaining<T>(
        IAsyncEnumerator<T> rows, bool hasCurrent, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!hasCurrent) yield break;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return rows.Current;
        }
        while (await rows.MoveNextAsync());
    }
}
