namespace Zones.Handlers;

/// <summary>The httpsredirect zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class HttpsRedirectOptions : IZoneOptionsValidation
{
    /// <summary>The port of the https:// listener; 443 is left out of the Location.</summary>
    public int Port { get; set; } = 443;

    /// <summary>308 (default: the method and body are kept) or 301.</summary>
    public int Status { get; set; } = 308;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (Port is < 1 or > 65535) yield return $"\"Port\" {Port} is not a port; use the https:// listener's, e.g. 443";
        if (Status is not (301 or 308)) yield return $"\"Status\" {Status}: use 308 (keeps the method) or 301";
    }
}
