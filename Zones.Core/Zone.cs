namespace Zones;

/// <summary>
/// One row of the zone table: a URL prefix, the handler serving it, and the folder it maps to.
/// A path lies in the zone when it equals the prefix or continues with '/' after it:
/// "/ws" holds "/ws" and "/ws/x" but not "/wsx"; "/" holds everything.
/// </summary>
public sealed class Zone
{
    private readonly string _prefix; // without a trailing slash: "" for "/"

    /// <summary>A zone for code that builds a table itself (zones.json builds them through the handler registry).</summary>
    /// <param name="prefix">Starts with '/'; a trailing '/' is ignored when matching ("/docs/" holds "/docs").</param>
    /// <param name="handler">The one instance that serves every request in the zone, concurrently.</param>
    /// <param name="root">The folder the zone maps to, relative to the current directory or full; null for none.</param>
    /// <param name="handlerName">The name for logs; the handler's class name when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not start with '/'.</exception>
    public Zone(string prefix, IZoneHandler handler, string? root = null, string? handlerName = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.StartsWith('/')) throw new ArgumentException($"A zone prefix must start with '/': \"{prefix}\".", nameof(prefix));
        Prefix = prefix;
        _prefix = prefix.TrimEnd('/');
        Handler = handler;
        Root = root is null ? null : System.IO.Path.GetFullPath(root);
        HandlerName = handlerName ?? handler.GetType().Name;
    }

    /// <summary>The prefix as configured.</summary>
    public string Prefix { get; }

    /// <summary>The handler serving this zone.</summary>
    public IZoneHandler Handler { get; }

    /// <summary>The folder this zone serves, as a full path without a trailing separator; null when it has none.</summary>
    public string? Root { get; }

    /// <summary>The name the handler was registered under ("staticfile"), for logs.</summary>
    public string HandlerName { get; }

    /// <summary>True when <paramref name="path"/> lies in the zone: it equals the prefix or continues with '/' after it. Case-sensitive, as paths are.</summary>
    public bool Matches(string path) =>
        path.StartsWith(_prefix, StringComparison.Ordinal) && (path.Length == _prefix.Length || path[_prefix.Length] == '/');

    /// <summary>What follows the prefix: "" for the prefix itself, otherwise a string starting with '/'.</summary>
    internal string SuffixOf(string path) => path[_prefix.Length..];

    /// <summary>"/static → staticfile", for logs.</summary>
    public override string ToString() => $"{Prefix} → {HandlerName}";
}
