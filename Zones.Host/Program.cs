using Microsoft.Extensions.DependencyInjection;
using Zones.Host;
using Zones.Hosting;

// `hash-password` and `hash-token` print hashes for the guard zones' zones.json entries.
if (HashCommands.Run(args, Console.In, Console.Out, Console.Error, terminal: !Console.IsInputRedirected) is { } exitCode) return exitCode;

// zones.json, --urls, --zones and the built-in handlers.
var builder = ZonesHost.CreateBuilder(args);

// Your own handlers, by the name zones.json uses for them: hello, feedlist (Zones.Host/DemoHandlers.cs).
builder.Services.AddDemoHandlers();

// The demo's live page: the time, published to the "clock" feed every second.
builder.Services.AddHostedService<ClockPublisher>();

return await ZonesHost.RunAsync(builder);
