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
    IEnumerable<string> Validate(ZoneInfo zone);
}
