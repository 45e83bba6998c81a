using System.Collections;

namespace Zones.Hosting;

/// <summary>
/// The environment variables .NET users already set for any host, as configuration keys:
/// <c>Logging__LogLevel__Default=Warning</c> becomes Logging:LogLevel:Default, and
/// <c>DOTNET_URLS</c> / <c>ASPNETCORE_URLS</c> become "urls" (ASPNETCORE_ winning, as in ASP.NET Core).
/// Only these are read — not the whole environment, where PATH and the rest have no meaning
/// for a zone server and a stray <c>Zones__0__Handler</c> would silently change the table.
/// </summary>
internal static class ConventionalEnvironment
{
    private const string LoggingPrefix = "Logging__";

    public static IEnumerable<KeyValuePair<string, string?>> Read(IDictionary environment)
    {
        var found = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "DOTNET_URLS", "ASPNETCORE_URLS" })
        {
            if (environment[name] is string urls && !string.IsNullOrWhiteSpace(urls)) found["urls"] = urls;
        }
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string key && key.StartsWith(LoggingPrefix, StringComparison.OrdinalIgnoreCase))
                found[key.Replace("__", ":", StringComparison.Ordinal)] = variable.Value as string;
        }
        return found;
    }
}
