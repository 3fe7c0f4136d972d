namespace Admin.Data.Import.Coturn;

/// <summary>
/// Reads turnserver.conf as coturn does: one option a line, "name=value", "name value" or a bare "name" for a flag;
/// "#" starts a comment line; a leading "--" is allowed (the file takes the command line's long options).
/// </summary>
public static class CoturnConfigParser
{
    public static IReadOnlyList<CoturnConfigEntry> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<CoturnConfigEntry>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("--", StringComparison.Ordinal)) line = line[2..];
            var split = line.IndexOfAny(['=', ' ', '\t']);
            if (split < 0)
            {
                entries.Add(new CoturnConfigEntry(lineNumber, line.ToLowerInvariant(), null));
                continue;
            }
            var name = line[..split].Trim().ToLowerInvariant();
            var value = line[(split + 1)..].Trim();
            // "name = value": the separator is the '=' after the spaces.
            if (line[split] != '=' && value.StartsWith('=')) value = value[1..].TrimStart();
            // coturn accepts quoted values ("name=\"value\"").
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            entries.Add(new CoturnConfigEntry(lineNumber, name, value));
        }
        return entries;
    }
}
