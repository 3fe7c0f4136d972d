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
    /// Configuration overrides are "--Section:Key=value" and "--Section:Key value", "--key=value" for
    /// any key that is not one of the verbs' options (so "--realm=x" stays with the verb), and host
    /// keys such as "--urls value". Everything else (verbs, "--realm x", "--help") is left for the verb parser.
    /// </summary>
    /// <param name="verbOptionNames">Every option name and alias of every verb, e.g. "--realm", "-r".</param>
    public static ConfigurationArguments Split(IReadOnlyList<string> args, IReadOnlySet<string> verbOptionNames)
    {
        var configuration = new List<string>();
        var verb = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!TryGetKey(arg, verbOptionNames, out var key, out var hasValue))
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

    private static bool TryGetKey(string arg, IReadOnlySet<string> verbOptionNames, out string key, out bool hasValue)
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
        if (HostKeys.Contains(key)) return true;
        // "--Key=value" for a key no verb knows: a top-level configuration value (how test hosts pass settings).
        return hasValue && key.Length > 0 && !verbOptionNames.Contains("--" + key);
    }
}
