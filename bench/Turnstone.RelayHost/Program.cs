using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Turn.Relay;
using Turnstone.RelayHost;

// Relay-only host for the benchmark: the engine with its default seams (users from Relay:Users),
// no portal and no database. Configured like any .NET host: appsettings.json, environment
// variables (Relay__Port=47000) or the command line (--Relay:Port=47000). Stops on SIGTERM.
// No reload-on-change: its FileSystemWatcher on the content root woke on every write to any file in
// the working directory (the benchmark writes its logs there) and cost CPU on each wake-up; the
// relay reads its options once at start anyway.
var configuration = new ConfigurationManager();
configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, Configuration = configuration });
builder.AddTurnRelay();
builder.Services.AddHostedService<RelayTotalsReporter>();
using var host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
