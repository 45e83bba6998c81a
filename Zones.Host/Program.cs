using Zones;
using Zones.Host;

// zones.json, --urls, --zones and the built-in handlers.
var builder = ZonesHost.CreateBuilder(args);

// Your own handlers, by the name zones.json uses for them.
builder.Services.AddZoneHandler<HelloHandler>("hello");

return await ZonesHost.RunAsync(builder);
