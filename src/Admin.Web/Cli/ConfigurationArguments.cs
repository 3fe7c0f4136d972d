namespace Admin.Web.Cli;

/// <summary>
/// Splits a command line into configuration overrides (for .NET configuration) and the verb's own
/// arguments (for System.CommandLine), so "--ConnectionStrings:Admin=..." or "--urls http://..."
/// never reach the verb parser and "--realm example.org" never reaches configuration.
/// </summary>
public sealed record ConfigurationArguments(IReadOnlyList<string> Configuration, IReadOnlyList<string> Verb)
{
    // Host settings that are configuration keys without a colon; "--key value" and "--key=value" both work.
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "applicationName", "webroot", "http_ports", "https_ports",
    };

    /// <summary>
    /// Configuration overrides are "--Section:Key=value", "--Section:Key value", "--key=value" for a
    /// known host key or any "--key=value" containing a colon, and "--urls value" style host keys.
    /// Everything else (verbs, "--realm x", "--help") is left for the verb parser.
    /// </summary>
    public static ConfigurationArguments Split(IReadOnlyList<string> args)
    {
        var configuration = new List<string>();
        var verb = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!TryGetKey(arg, out var key, out var hasValue))
            {
                verb.Add(arg);
                continue;
            }
            if (hasValue)
            {
                configuration.Add(arg);
            }
            else if (i + 1 < args.Count)
            {
                configuration.Add($"--{key}={args[i + 1]}");
                i++;
            }
            else
            {
                throw new CliException($"configuration override {arg} has no value (write --{key}=VALUE)", ExitCodes.Usage);
            }
        }
        return new ConfigurationArguments(configuration, verb);
    }

    private static bool TryGetKey(string arg, out string key, out bool hasValue)
    {
        key = "";
        hasValue = false;
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3) return false;
        var body = arg[2..];
        var equals = body.IndexOf('=');
        key = equals < 0 ? body : body[..equals];
        hasValue = equals >= 0;
        // Section:Key (or the environment-variable style Section__Key) is always configuration.
        if (key.Contains(':', StringComparison.Ordinal) || key.Contains("__", StringComparison.Ordinal)) return key.Length > 0;
        return HostKeys.Contains(key);
    }
}
