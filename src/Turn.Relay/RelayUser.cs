using System.ComponentModel;

namespace Turn.Relay;

/// <summary>
/// A user for relay-only mode (no database): either a string "user:password" (realm =
/// Relay:DefaultRealm) or an object { Name, Password, Realm }.
/// </summary>
[TypeConverter(typeof(RelayUserConverter))]
public sealed class RelayUser
{
    public string Name { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Empty means Relay:DefaultRealm.</summary>
    public string Realm { get; set; } = "";
}
