
namespace Zones.Handlers;

/// <summary>The redirect zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class RedirectOptions : IZoneOptionsValidation
{
    /// <summary>Where to send the client: an absolute URL or a path.</summary>
    public string Location { get; set; } = "";

    /// <summary>301 (default), 302, 303, 307 or 308.</summary>
    public int Status { get; set; } = 301;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(Location)) yield return "redirect needs a \"Location\", e.g. \"Location\": \"/new/place\"";
        else if (Location.Any(c => c < 0x20 || c == 0x7F)) yield return "\"Location\" holds a control character";
        if (Status is not (301 or 302 or 303 or 307 or 308)) yield return $"\"Status\" {Status} is not a redirect; use 301, 302, 303, 307 or 308";
    }
}

/// <summary>Wibble's redirect: every request in the zone is sent to Location.</summary>
public sealed class RedirectHandler(RedirectOptions options) : IZoneHandler
{
    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context) =>
        ZoneResult.Respond(ZoneResponse.Redirect(options.Location, options.Status));
}
