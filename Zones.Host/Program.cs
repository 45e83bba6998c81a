using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Zones.Host;
using Zones.Redis;
using Zones.Hosting;

// `hash-password` and `hash-token` print hashes for the guard zones' zones.json entries.
if (HashCommands.Run(args, Console.In, Console.Out, Console.Error, terminal: !Console.IsInputRedirected) is { } exitCode) return exitCode;

// `serve`, `check`, `version` as the zones tool has them (Zones.Hosting's ZonesCommands); without
// a command: zones.json, --urls, --zones, the built-in handlers and what is added below.
return await ZonesCommands.RunAsync(args, builder =>
{
    // Scale-out: "Feeds": { "Redis": { "Configuration": "127.0.0.1:6379" } } shares the feeds and chat rooms
    // with every instance using that Redis (Zones.Redis); without it they stay in this process.
    builder.Services.AddZonesRedisWhenConfigured(builder.Configuration);

    // Your own handlers, by the name zones.json uses for them: hello, feedlist (Zones.Host/DemoHandlers.cs).
    builder.Services.AddDemoHandlers();

    // The demo's live page: the time, published to the "clock" feed every second. Instances that share
    // their feeds through Redis need only one publisher: the others run with "Demo:Clock": false.
    if (builder.Configuration.GetValue("Demo:Clock", true)) builder.Services.AddHostedService<ClockPublisher>();
});
