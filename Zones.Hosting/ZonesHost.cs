using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zones.Handlers;
using Zones.Server;
using Zones.Handlers.Feeds;

namespace Zones.Hosting;

/// <summary>
/// The program around the server: finds zones.json, reads --urls and --zones, registers the
/// built-in handlers, and turns configuration errors into one plain message and exit code 1.
/// </summary>
public static class ZonesHost
{
    /// <summary>The zone file used without --zones: in the current folder, else the nearest one above the program.</summary>
    public const string DefaultZoneFile = "zones.json";

    /// <summary>A host with the zone server, the built-in handlers and the feeds, configured from zones.json, the environment and the command line (which wins); register your handlers on its Services, then build and run it.</summary>
    /// <param name="args">The program's arguments: --zones FILE, --urls "URL;URL", and any zones.json key as --Section:Key=value.</param>
    /// <remarks>
    /// <para>A zone file that cannot be read is not thrown here: the host reports it, with every other problem, when it starts.</para>
    /// <para>
    /// From the environment, lowest precedence first: <c>DOTNET_URLS</c>, <c>ASPNETCORE_URLS</c> (as ASP.NET Core
    /// reads them), <c>Logging__…</c> (e.g. <c>Logging__LogLevel__Default=Warning</c>), then every <c>ZONES_</c>
    /// variable (<c>ZONES_URLS</c>, <c>ZONES_Server__Limits__MaxConnections</c>, <c>ZONES_Logging__…</c>).
    /// A URL list replaces zones.json's Server:Urls; --urls beats them all.
    /// </para>
    /// </remarks>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var zoneFile = new ZoneFile(FindZoneFile(args));
        IConfiguration? zones = null;
        try
        {
            zones = zoneFile.Read();
        }
        catch (ZoneConfigurationException e)
        {
            // Reported when the host starts, as one message with every other start-up problem.
            zoneFile.LoadError = e.Problems[0];
        }
        return CreateBuilder(args, zoneFile, zones);
    }

    /// <summary>The host over a zone table from a file (<paramref name="zones"/> null when it could not be read) or from memory (zones serve).</summary>
    internal static HostApplicationBuilder CreateBuilder(string[] args, ZoneFile zoneFile, IConfiguration? zones)
    {
        // The empty builder: no appsettings.json, no folder-wide file watchers, no environment
        // scan — the host starts in a fraction of the default's time. zones.json is the config.
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        if (zones is not null) builder.Configuration.AddConfiguration(zones);
        // What ASP.NET Core users already set, read without loading the whole environment.
        builder.Configuration.AddInMemoryCollection(ConventionalEnvironment.Read(Environment.GetEnvironmentVariables()));
        // ZONES_Server__Urls__0=…, ZONES_Server__Limits__MaxConnections=… — for containers and
        // service managers; the command line still wins.
        builder.Configuration.AddEnvironmentVariables("ZONES_");
        builder.Configuration.AddCommandLine(args);
        // With an https listener, OpenSSL gets ready on another core while the host is built.
        OpenSslWarmup.StartIfWanted(builder.Configuration);

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // A failed start is reported once, plainly, by RunAsync; not as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        builder.Services.AddZones(builder.Configuration, zoneFile);
        builder.Services.AddBuiltInZoneHandlers();
        builder.Services.AddOptions<FeedsOptions>().Bind(builder.Configuration.GetSection("Feeds")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FeedsOptions>>(new ZoneFileValidator<FeedsOptions>(zoneFile, o => o.Validate()));
        builder.Services.PostConfigure<ServerOptions>(options =>
        {
            // ASP.NET Core's convention: --urls "http://127.0.0.1:8080;http://[::1]:8080".
            if (ServerOptions.UrlList(builder.Configuration["urls"]) is { } urls) options.Urls = [.. urls];
            if (options.Urls.Count == 0) options.Urls = ["http://127.0.0.1:8080"];
        });
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) =>
            host.ShutdownTimeout = server.Value.ShutdownTimeout + TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>Runs until Ctrl+C or SIGTERM. Returns 0, or 1 after printing why the server could not start.</summary>
    public static async Task<int> RunAsync(HostApplicationBuilder builder)
    {
        try
        {
            using var host = builder.Build();
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"zones: cannot start: {message}");
            return 1;
        }
    }

    private static string? Describe(Exception e) => e switch
    {
        ZoneConfigurationException z => z.Message,
        OptionsValidationException o => string.Join(Environment.NewLine, o.Failures),
        IOException io when io.Message.StartsWith("Cannot listen", StringComparison.Ordinal) => io.Message,
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerException!),
        _ => null,
    };

    /// <summary>--zones PATH (or --zones=PATH); else zones.json in the current folder; else the nearest one above the program.</summary>
    internal static string FindZoneFile(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--zones" && i + 1 < args.Length) return Path.GetFullPath(args[i + 1]);
            if (args[i].StartsWith("--zones=", StringComparison.Ordinal)) return Path.GetFullPath(args[i]["--zones=".Length..]);
        }
        var here = Path.GetFullPath(DefaultZoneFile);
        if (File.Exists(here)) return here;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultZoneFile);
            if (File.Exists(candidate)) return candidate;
        }
        return here; // does not exist: the start fails with a message naming it
    }
}
