using System.Text.Json;

namespace Admin.Data.Tests.Credentials;

/// <summary>Change-notification payloads as the ChangePayloadJson triggers write them.</summary>
internal static class Payload
{
    public static string Of(string table, char op, string realm = "", string detail = "") =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["table"] = table, ["op"] = op.ToString(), ["realm"] = realm, ["detail"] = detail });

    public static string User(char op, string realm, string name) => Of("turnusers_lt", op, realm, name);

    public static string Secret(char op, string realm, string sha256Hex) => Of("turn_secret", op, realm, sha256Hex);
}
