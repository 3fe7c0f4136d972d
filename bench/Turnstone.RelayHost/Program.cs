using Microsoft.Extensions.Hosting;
using Turn.Relay;

// Relay-only host for the benchmark: the engine with its default seams (users from Relay:Users),
// configured like any .NET host (appsettings.json, TURNSTONE_-less environment variables such as
// Relay__Port, or --Relay:Port=47000 on the command line). Stops on SIGTERM / Ctrl+C.
var builder = Host.CreateApplicationBuilder(args);
builder.AddTurnRelay();
using var host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
