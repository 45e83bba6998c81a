namespace Zones.Handlers.Templates;

/// <summary>The templatefile zone's options (the zone's keys in zones.json beside Prefix, Handler and Root).</summary>
public sealed class TemplateFileOptions : IZoneOptionsValidation
{
    /// <summary>Free-form values the templates see as <c>options.Name</c> (site name, contact address…).</summary>
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Parse a POSTed form (urlencoded or multipart) so templates see <c>request.form</c> and <c>request.files</c>.</summary>
    public bool ReadForm { get; set; } = true;

    /// <summary>The most Liquid statements one page may execute, so a runaway loop ends in a 500 instead of a hung request.</summary>
    public int MaxSteps { get; set; } = 1_000_000;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (MaxSteps < 1) yield return "\"MaxSteps\" must be at least 1";
    }
}
