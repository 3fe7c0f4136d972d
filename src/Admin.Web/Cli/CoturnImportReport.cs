using System.Text.Json;
using Admin.Data.Import.Coturn;

namespace Admin.Web.Cli;

/// <summary>
/// The import's report for people (what maps where, the appsettings snippet, what is covered without a setting, what
/// is left out and why) and its JSON form for scripts.
/// </summary>
internal static class CoturnImportReport
{
    /// <summary>Items listed per category; the rest are counted.</summary>
    private const int ItemsShown = 25;

    public static async Task WriteAsync(TextWriter output, CoturnImportPlan plan, CoturnImportResult result, string? configPath, string? dbPath)
    {
        await output.WriteLineAsync(result.Applied
            ? (result.Unchanged ? "coturn import: APPLIED, nothing to change" : "coturn import: APPLIED (one transaction, audited as import.coturn)")
            : "coturn import: DRY RUN, nothing written (run again with --apply to write the database part)");
        await output.WriteLineAsync($"Read: {configPath ?? "(no turnserver.conf)"}; {dbPath ?? "(no SQLite database)"}");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Database (+ add, ~ update, = unchanged):");
        foreach (var category in CoturnImportResult.Categories)
        {
            var items = result.Changes.Where(c => c.Category == category).ToList();
            await output.WriteLineAsync($"  {category,-14} {result.Count(category, ImportOutcome.Added)} to add, {result.Count(category, ImportOutcome.Updated)} to update, {result.Count(category, ImportOutcome.Unchanged)} unchanged");
            foreach (var item in items.Take(ItemsShown))
                await output.WriteLineAsync($"    {Mark(item.Outcome)} {item.Item,-44} from {item.Source}");
            if (items.Count > ItemsShown) await output.WriteLineAsync($"    ... and {items.Count - ItemsShown} more");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("appsettings.json (the import does not write it; merge this into your configuration):");
        await output.WriteLineAsync(JsonSerializer.Serialize(Snippet(plan), CliJson.Options));
        if (plan.Notes.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Covered without a setting, or different from coturn:");
            foreach (var note in plan.Notes) await output.WriteLineAsync($"  - {note}");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Not imported ({plan.Skipped.Count}):");
        foreach (var skip in plan.Skipped) await output.WriteLineAsync($"  - {skip.What} ({skip.Source}): {skip.Reason}");
        await output.WriteLineAsync();
        var changed = result.Changes.Count(c => c.Outcome != ImportOutcome.Unchanged);
        await output.WriteLineAsync(result.Unchanged
            ? "Result: unchanged (the database already holds everything above)."
            : $"Result: {changed} change(s) {(result.Applied ? "written" : "would be written")}.");
    }

    public static object ToJson(CoturnImportPlan plan, CoturnImportResult result, string? configPath, string? dbPath) => new
    {
        applied = result.Applied,
        unchanged = result.Unchanged,
        config = configPath,
        database = dbPath,
        counts = CoturnImportResult.Categories.ToDictionary(c => c, c => new
        {
            added = result.Count(c, ImportOutcome.Added),
            updated = result.Count(c, ImportOutcome.Updated),
            unchanged = result.Count(c, ImportOutcome.Unchanged),
        }),
        items = result.Changes.Select(c => new { category = c.Category, item = c.Item, outcome = c.Outcome.ToString().ToLowerInvariant(), source = c.Source }),
        appsettings = Snippet(plan),
        notes = plan.Notes,
        notImported = plan.Skipped.Select(s => new { what = s.What, source = s.Source, reason = s.Reason }),
    };

    // A dictionary, so the section keeps its name as configuration spells it ("Relay", not camelCase).
    private static Dictionary<string, object> Snippet(CoturnImportPlan plan) => new() { ["Relay"] = plan.RelaySettings };

    private static char Mark(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Added => '+',
        ImportOutcome.Updated => '~',
        _ => '=',
    };
}
