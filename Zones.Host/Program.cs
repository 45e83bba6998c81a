using Microsoft.Extensions.DependencyInjection;
using Zones.Host;
using Zones.Hosting;

// zones.json, --urls, --zones and the built-in handlers.
var builder = ZonesHost.CreateBuilder(args);

// Your own handlers, by the name zones.json uses for them.
builder.Services.AddZoneHandler<HelloHandler>("hello");

// The demo's live page: the time, published to the "clock" feed every second.
builder.Services.AddHostedService<ClockPublisher>();

return await ZonesHost.RunAsync(builder);
