using Zones.Hosting;
using MySite;

// zones.json (here, or pass --zones FILE), --urls, ZONES_ variables and the built-in handlers.
var builder = ZonesHost.CreateBuilder(args);

// Your own handler, by the name zones.json routes to: { "Prefix": "/hello", "Handler": "greeting" }.
builder.Services.AddZoneHandler<GreetingHandler>("greeting");

// Serve until Ctrl+C; a bad zones.json is one plain message and exit code 1.
return await ZonesHost.RunAsync(builder);
