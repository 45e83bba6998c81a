using Zones;

namespace MySite;

/// <summary>GET /hello?name=Ada answers "Hello, Ada!"; anything below /hello is left to the next zone.</summary>
public sealed class GreetingHandler : IZoneHandler
{
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (context.Suffix.Length > 0) return ZoneResult.Pass;
        var name = context.Request.Query["name"] is { Length: > 0 } given ? given : "World";
        return ZoneResult.Respond(ZoneResponse.Text($"Hello, {name}!"));
    }
}
