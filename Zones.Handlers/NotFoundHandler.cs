
namespace Zones.Handlers;

/// <summary>Wibble's notfound: answers 404 for everything that reaches it. Put it last.</summary>
public sealed class NotFoundHandler : IZoneHandler
{
    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) =>
        ZoneResult.Respond(ZoneResponse.ForStatus(404));
}
