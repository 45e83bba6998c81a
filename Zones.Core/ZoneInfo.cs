namespace Zones;

/// <summary>Where a handler instance sits in zones.json; a handler's constructor may ask for it.</summary>
public sealed record ZoneInfo(int Index, string Prefix, string HandlerName, string? Root, string ZoneFile)
{
    /// <summary>"Zones[2] (Prefix "/static", Handler "staticfile")", for messages that point at the entry.</summary>
    public string Describe() => $"Zones[{Index}] (Prefix \"{Prefix}\", Handler \"{HandlerName}\")";
}

/// <summary>Options classes implement this to check themselves; each message is one problem with its fix.</summary>
public interface IZoneOptionsValidation
{
    /// <summary>The problems with these options, each a sentence naming the option and its fix; none when they are good. Called once, when the zone table is built (at start and on reload).</summary>
    /// <param name="zone">Where the options sit in zones.json, for messages that point at it.</param>
    IEnumerable<string> Validate(ZoneInfo zone);
}
