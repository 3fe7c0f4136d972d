namespace Admin.Data.Import.Coturn;

/// <summary>One option line of a turnserver.conf: its line number, name (without a leading "--") and value (null for a flag).</summary>
public sealed record CoturnConfigEntry(int Line, string Name, string? Value)
{
    /// <summary>Where it came from, for the report, e.g. "turnserver.conf:42".</summary>
    public string Source => $"turnserver.conf:{Line}";
}
