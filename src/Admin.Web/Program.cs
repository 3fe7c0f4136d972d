using Admin.Web.Cli;

// Everything, including 'serve' (the default), goes through the command line: see Cli/.
return await TurnstoneCli.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point; public for WebApplicationFactory in the end-to-end tests.</summary>
public partial class Program;
