using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Turn.Relay;
using Turnstone.RelayHost;

// Relay-only host for the benchmark: the engine with its default seams (users from Relay:Users),
// no portal and no database. Configured like any .NET host: appsettings.json, environment
// variables (Relay__Port=47000) or the command line (--Relay:Port=47000). Stops on SIGTERM.
var builder = Host.CreateApplicationBuilder(args);
builder.AddTurnRelay();
builder.Services.AddHostedService<RelayTotalsReporter>();
using var host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
