using System.Text.Json;

namespace Admin.Data.Credentials;

/// <summary>
/// One change announced on <see cref="AdminDbContext.ChangeChannel"/> by the triggers of the ChangePayloadJson
/// migration: a JSON object {"table": ..., "op": ..., "realm": ..., "detail": ...} built with json_build_object, so
/// any realm or user name (with '|', quotes, newlines) arrives intact. op is I, U, D, R (user disabled) or T
/// (truncate); detail is the user name (turnusers_lt) or the SHA-256 hex of a secret (turn_secret), else empty.
/// It only names what to re-read: anyone allowed to NOTIFY can send one, so nothing acts on its word alone.
/// </summary>
public sealed record ChangeNotification(string Table, char Op, string Realm, string Detail)
{
    /// <summary>Longest payload read (PostgreSQL caps them at 8000 bytes anyway).</summary>
    private const int MaxPayloadLength = 8000;

    /// <summary>Parses a payload; false for anything that is not exactly the triggers' shape.</summary>
    public static bool TryParse(string payload, out ChangeNotification? notification)
    {
        notification = null;
        if (string.IsNullOrEmpty(payload) || payload.Length > MaxPayloadLength) return false;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (!TryGetString(root, "table", out var table) || !TryGetString(root, "op", out var op) || op.Length != 1
                || !TryGetString(root, "realm", out var realm) || !TryGetString(root, "detail", out var detail))
            {
                return false;
            }
            notification = new ChangeNotification(table, op[0], realm, detail);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryGetString(JsonElement root, string name, out string value)
    {
        value = "";
        if (!root.TryGetProperty(name, out var element)) return false;
        if (element.ValueKind == JsonValueKind.Null) return true; // coalesce: a NULL realm is the global realm ""
        if (element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString()!;
        return true;
    }
}
