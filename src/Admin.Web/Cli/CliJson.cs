using System.CommandLine;
using System.Text.Json;

namespace Admin.Web.Cli;

/// <summary>
/// <c>--json</c> on list and show verbs: one JSON document on stdout (camelCase names, as the JSON API writes them),
/// for scripts; without it the verbs print tab-separated lines for people.
/// </summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Option<bool> Option() => new("--json") { Description = "Print JSON (one document) instead of text lines." };

    public static Task WriteAsync<T>(CliContext context, T value) => context.Out.WriteLineAsync(JsonSerializer.Serialize(value, Options));
}
