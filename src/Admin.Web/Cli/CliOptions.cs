using System.CommandLine;

namespace Admin.Web.Cli;

/// <summary>The options verbs share. Each command gets its own instances.</summary>
internal static class CliOptions
{
    public static Option<string> Realm(bool required = true, string description = "The realm (e.g. example.org).") =>
        new("--realm", "-r") { Description = description, Required = required };

    public static Option<string> User(string description = "The user name.") =>
        new("--user", "-u") { Description = description, Required = true };
}
