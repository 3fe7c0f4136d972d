using Admin.Web.Cli;

// Everything, including 'serve' (the default), goes through the command line: see Cli/.
// Standard input is read only by --password-stdin, --secret-stdin and "--file -"; a terminal there may be prompted.
return await TurnstoneCli.RunAsync(args, Console.In, Console.Out, Console.Error, canPrompt: !Console.IsInputRedirected);

/// <summary>The entry point; public for WebApplicationFactory in the end-to-end tests.</summary>
public partial class Program;
