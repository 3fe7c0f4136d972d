using System.CommandLine;
using Admin.Data;
using Admin.Data.Administration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Admin.Web.Cli;

/// <summary>
/// The turnstone program's command line. <see cref="RunAsync"/> returns the exit code and writes
/// only to the given writers, so tests run it in-process.
/// </summary>
public static class TurnstoneCli
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, TextReader.Null, output, error, canPrompt: false, cancellationToken);

    /// <param name="input">Standard input, for --password-stdin, --secret-stdin and "--file -".</param>
    /// <param name="canPrompt">True when standard input is a terminal, so a missing password can be asked for.</param>
    public static async Task<int> RunAsync(
        string[] args, TextReader input, TextWriter output, TextWriter error, bool canPrompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var context = new CliContext(input, output, error, canPrompt);
            var root = CreateRootCommand(context);
            var split = ConfigurationArguments.Split(args, OptionNames(root));
            context.ConfigurationArgs = split.Configuration;
            var parseResult = root.Parse(split.Verb);
            if (parseResult.Errors.Count > 0)
            {
                foreach (var parseError in parseResult.Errors) error.WriteLine($"turnstone: {parseError.Message}");
                error.WriteLine("Run 'turnstone --help' (or 'turnstone VERB --help') for usage.");
                return ExitCodes.Usage;
            }
            var invocation = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // Exceptions reach the handlers below (one line each); a host that aborts
                // startup on purpose (WebApplicationFactory) needs its exception to propagate.
                EnableDefaultExceptionHandler = false,
                // The web host handles Ctrl-C and SIGTERM itself, with a graceful shutdown.
                ProcessTerminationTimeout = null,
            };
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (CliException e)
        {
            return Fail(error, e.Message, e.ExitCode);
        }
        catch (AdminOperationException e)
        {
            return Fail(error, e.Message, ExitCodeOf(e.Code));
        }
        catch (Admin.Data.Import.Coturn.CoturnImportFailedException e)
        {
            return Fail(error, e.Message, ExitCodes.Failed);
        }
        catch (DatabaseUnavailableException e)
        {
            return Fail(error, e.Message, ExitCodes.DatabaseUnavailable);
        }
        catch (NpgsqlException e)
        {
            // The database went away mid-command, or refused a statement.
            return Fail(error, $"database error: {e.Message}", ExitCodes.DatabaseUnavailable);
        }
        catch (OptionsValidationException e)
        {
            return Fail(error, $"invalid configuration: {string.Join("; ", e.Failures)}", ExitCodes.Configuration);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(error, "cancelled", ExitCodes.Failed);
        }
    }

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "Turnstone: a STUN/TURN relay server with an admin portal. Without a verb it runs 'serve'.\n" +
            "Configuration overrides go anywhere on the line as --Section:Key=value (e.g. --ConnectionStrings:Admin=...).\n" +
            "Passwords and secrets: --password-stdin / --secret-stdin, or the prompt on a terminal (an argument shows in ps).\n" +
            "Live verbs (session, relay) call a running node's JSON API: --server URL, token from --token-file or TURNSTONE_API_TOKEN.");
        var serve = ServeCommand.Create(context);
        root.Add(serve);
        root.Add(MigrateCommand.Create(context));
        root.Add(RealmCommands.Create(context));
        root.Add(UserCommands.Create(context));
        root.Add(SecretCommands.Create(context));
        root.Add(AdminCommands.Create(context));
        root.Add(TokenCommands.Create(context));
        root.Add(PeerCommands.Create(context));
        root.Add(SessionCommands.Create(context));
        root.Add(RelayDrainCommands.Create(context));
        root.Add(ImportCommands.Create(context));
        foreach (var version in root.Options.OfType<VersionOption>()) version.Action = new VersionAction(context);
        root.SetAction((_, cancellationToken) => ServeCommand.RunAsync(context, cancellationToken));
        return root;
    }

    private static HashSet<string> OptionNames(Command root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Command>([root]);
        while (pending.TryPop(out var command))
        {
            foreach (var option in command.Options)
            {
                names.Add(option.Name);
                names.UnionWith(option.Aliases);
            }
            foreach (var subcommand in command.Subcommands) pending.Push(subcommand);
        }
        return names;
    }

    internal static int ExitCodeOf(AdminErrorCode code) => code switch
    {
        AdminErrorCode.InvalidInput => ExitCodes.Usage,
        AdminErrorCode.NotFound => ExitCodes.NotFound,
        AdminErrorCode.Duplicate => ExitCodes.Duplicate,
        AdminErrorCode.Conflict => ExitCodes.Conflict,
        AdminErrorCode.Forbidden => ExitCodes.Failed,
        _ => ExitCodes.Failed,
    };

    private static int Fail(TextWriter error, string message, int exitCode)
    {
        error.WriteLine($"turnstone: {message}");
        return exitCode;
    }
}
