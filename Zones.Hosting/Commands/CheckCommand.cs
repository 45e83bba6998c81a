using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zones.Pipeline;

namespace Zones.Hosting.Commands;

/// <summary>
/// <c>zones check FILE</c>: builds the host the server would build over FILE, then asks what its
/// start asks — the file read, every options validation, the zone table built — without
/// listening. The server stops at the first of those that fails; check reports them all, each
/// line as the server words it.
/// </summary>
internal static class CheckCommand
{
    public static int Run(string[] args, Action<HostApplicationBuilder>? configure, TextWriter output, TextWriter error)
    {
        if (args.Length != 1 || args[0].StartsWith('-'))
        {
            error.WriteLine($"zones: check takes one zone file, e.g. zones check zones.json{Environment.NewLine}{CommandUsage.Text}");
            return 2;
        }
        var path = Path.GetFullPath(args[0]);
        var builder = ZonesHost.CreateBuilder(["--zones", path]);
        configure?.Invoke(builder);
        var (problems, zones) = Check(builder);
        if (problems.Count == 0)
        {
            output.WriteLine($"{path}: ok, {zones} zone(s)");
            return 0;
        }
        foreach (var problem in problems) error.WriteLine(problem);
        error.WriteLine($"zones: check: {problems.Count} problem(s) in {path}");
        return 1;
    }

    /// <summary>Every problem the start would meet, each "FILE: where: what and the fix"; and the number of zones when there is none.</summary>
    internal static (List<string> Problems, int Zones) Check(HostApplicationBuilder builder)
    {
        // Building handlers may log; a check prints its own findings only.
        builder.Logging.ClearProviders();
        // The services without the host: building the host already reads options (its shutdown
        // timeout comes from Server), so a bad Server section would stop it before the zones are checked.
        using var services = builder.Services.BuildServiceProvider();
        var zoneFile = services.GetRequiredService<ZoneFile>();
        if (zoneFile.LoadError is { } loadError) return ([$"{zoneFile.Path}: {loadError}"], 0);

        var problems = new List<string>();
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures);
        }
        catch (AggregateException e)
        {
            problems.AddRange(e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(o => o.Failures));
        }
        var zones = 0;
        try
        {
            zones = services.GetRequiredService<IZoneTableSource>().Current.Zones.Count;
        }
        catch (ZoneConfigurationException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{e.File}: {p}"));
        }
        return (problems, zones);
    }
}
