
namespace Zones.Handlers;

/// <summary>Wibble's forbidden: answers 403 for everything in its zone (e.g. a private folder under a static root).</summary>
public sealed class ForbiddenHandler : IZoneHandler
{
    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) =>
        ZoneResult.Respond(ZoneResponse.ForStatus(403));
}
