
namespace Zones.Host;

/// <summary>
/// The smallest useful handler, and the pattern for your own: implement
/// <see cref="IZoneHandler"/>, answer with a <see cref="ZoneResult"/>, and register the class
/// by name in Program.cs. zones.json then routes a prefix to it:
/// <c>{ "Prefix": "/hello", "Handler": "hello" }</c>.
/// </summary>
public sealed class HelloHandler : IZoneHandler
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();

    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        // Only the zone's own path: /hello/anything is not ours, so let the next zone have it.
        if (context.Suffix.Length > 0) return ZoneResult.Pass;
        var response = ZoneResponse.Bytes(Hello, "text/plain; charset=utf-8");
        return ZoneResult.Respond(response);
    }
}
