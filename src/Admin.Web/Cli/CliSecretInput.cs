using System.CommandLine;
using System.Text;

namespace Admin.Web.Cli;

/// <summary>
/// Where a password or secret comes from: standard input (<c>--password-stdin</c>, one line), a prompt that does not
/// echo (on a terminal), or, discouraged, an argument. An argument stays for scripts written against earlier versions,
/// but it shows in <c>ps</c> and shell history, so the help says so and a warning is printed when a person is at the
/// terminal; nothing else reads passwords from the command line.
/// </summary>
internal static class CliSecretInput
{
    public static Option<string> PasswordArgument(string description) =>
        new("--password", "-p") { Description = $"{description} Discouraged: visible in ps and shell history; use --password-stdin or the prompt." };

    public static Option<bool> PasswordStdin() =>
        new("--password-stdin") { Description = "Read the password from the first line of standard input." };

    public static Option<string> SecretArgument(string description) =>
        new("--secret", "-s") { Description = $"{description} Discouraged: visible in ps and shell history; use --secret-stdin." };

    public static Option<bool> SecretStdin() =>
        new("--secret-stdin") { Description = "Read the secret from the first line of standard input." };

    /// <summary>The password from the argument, standard input or a prompt (asked twice when <paramref name="confirm"/>).</summary>
    public static async Task<string> ReadAsync(CliContext context, ParseResult parse, Option<string> argument, Option<bool> stdin, string what, bool confirm)
    {
        var given = parse.GetValue(argument);
        var fromStdin = parse.GetValue(stdin);
        if (given is not null && fromStdin)
            throw new CliException($"give the {what} either as {argument.Name} or with {stdin.Name}, not both", ExitCodes.Usage);
        if (given is not null)
        {
            if (context.CanPrompt)
                await context.Error.WriteLineAsync($"turnstone: warning: a {what} given as {argument.Name} is visible in ps and shell history; prefer {stdin.Name} or the prompt.");
            return given;
        }
        if (fromStdin)
        {
            var line = await context.In.ReadLineAsync();
            if (string.IsNullOrEmpty(line)) throw new CliException($"{stdin.Name}: standard input holds no {what} (expected it on the first line)", ExitCodes.Usage);
            return line;
        }
        if (!context.CanPrompt)
            throw new CliException($"no {what}: give it with {stdin.Name} (e.g. from a file or a secret store), or run on a terminal to be asked for it", ExitCodes.Usage);
        var first = Prompt(context, $"{char.ToUpperInvariant(what[0])}{what[1..]}: ");
        if (first.Length == 0) throw new CliException($"the {what} is empty", ExitCodes.Usage);
        if (confirm && Prompt(context, $"Repeat the {what}: ") != first) throw new CliException($"the two {what}s differ; nothing was changed", ExitCodes.Usage);
        return first;
    }

    // Reads a line from the console without echoing it.
    private static string Prompt(CliContext context, string label)
    {
        context.Error.Write(label);
        context.Error.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        context.Error.WriteLine();
        return text.ToString();
    }
}
