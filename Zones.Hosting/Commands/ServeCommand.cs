using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Zones.Server;

namespace Zones.Hosting.Commands;

/// <summary>
/// <c>zones serve</c>, Caddy's file-server: the static chain over a folder, built in memory (no
/// zones.json is written or read), or a given zone file.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configure, TextWriter error)
    {
        HostApplicationBuilder builder;
        try
        {
            builder = CreateBuilder(ServeSettings.Parse(args), configure);
        }
        catch (CommandUsageException e)
        {
            await error.WriteLineAsync($"zones: {e.Message}{Environment.NewLine}{CommandUsage.Text}");
            return 2;
        }
        return await ZonesHost.RunAsync(builder);
    }

    /// <summary>The host <paramref name="settings"/> ask for; <paramref name="configure"/> is applied to a zone file's host only.</summary>
    public static HostApplicationBuilder CreateBuilder(ServeSettings settings, Action<HostApplicationBuilder>? configure)
    {
        string[] urls = [];
        if (settings.Url is { } url)
        {
            CheckListen(url);
            urls = ["--urls", url];
        }
        if (settings.ZoneFile is { } file)
        {
            var fromFile = ZonesHost.CreateBuilder(["--zones", file, .. urls]);
            configure?.Invoke(fromFile);
            return fromFile;
        }
        var root = Path.GetFullPath(settings.Root ?? ".");
        // Named as if ROOT had a zones.json, so roots resolve from ROOT; never read, never watched.
        var zoneFile = new ZoneFile(Path.Combine(root, ZonesHost.DefaultZoneFile)) { Watched = false };
        var zones = new ConfigurationBuilder().AddInMemoryCollection(StaticChain(root, settings)).Build();
        return ZonesHost.CreateBuilder(urls, zoneFile, zones);
    }

    /// <summary>The zones a zones.json for a static site would have, in the order the demo's has them.</summary>
    internal static IEnumerable<KeyValuePair<string, string?>> StaticChain(string root, ServeSettings settings)
    {
        var chain = new List<(string Handler, bool Rooted)> { ("dirslash", true), ("indexfile", true), ("contenttype", false), ("staticfile", true) };
        if (settings.Templates) chain.Add(("templatefile", true));
        if (settings.Browse) chain.Add(("dirlist", true));
        chain.Add(("notfound", false));
        for (var i = 0; i < chain.Count; i++)
        {
            var at = "Zones:" + i.ToString(CultureInfo.InvariantCulture);
            yield return new($"{at}:Prefix", "/");
            yield return new($"{at}:Handler", chain[i].Handler);
            if (chain[i].Rooted) yield return new($"{at}:Root", root);
            if (chain[i].Handler == "staticfile") yield return new($"{at}:Compress", "true");
        }
    }

    /// <summary>A bad --listen is a usage error, worded as the server words a bad Server:Urls entry.</summary>
    private static void CheckListen(string url)
    {
        try
        {
            ListenAddress.Parse(url);
        }
        catch (FormatException e)
        {
            throw new CommandUsageException($"serve: --listen \"{url}\": {e.Message}");
        }
        if (ListenAddress.IsHttps(url))
            throw new CommandUsageException("serve: --listen serves http only; for https, write a zones.json with Server:Tls and pass it with --zones");
    }
}
