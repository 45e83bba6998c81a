using Microsoft.Extensions.Hosting;
using Zones.Hosting.Commands;

namespace Zones.Hosting;

/// <summary>
/// The zones command line, shared by the <c>zones</c> tool and any program over Zones.Hosting
/// (the demo's native binary answers the same): <c>serve</c> (Caddy's file-server), <c>check</c>
/// (a zone file's every problem, as the server would report them at start), <c>version</c> and
/// <c>help</c>. Without a command, the program serves its zones.json as <see cref="ZonesHost"/> does.
/// </summary>
public static class ZonesCommands
{
    /// <summary>Runs the command <paramref name="args"/> names and returns the exit code: 0 done, 1 failed (the reason on standard error), 2 a usage error.</summary>
    /// <param name="args">The program's arguments; the first is the command, unless it starts with '-' (then: serve zones.json, as with no arguments).</param>
    /// <param name="configure">
    /// What the program adds to the host — its own handlers, services, hosted services. Used to serve the
    /// program's zones.json (no command, or <c>serve --zones FILE</c>) and by <c>check</c>, so the program's
    /// handler names are known; not by <c>serve ROOT</c>, which is the static file chain and nothing else.
    /// </param>
    public static Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configure = null) =>
        RunAsync(args, configure, Console.Out, Console.Error);

    internal static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configure, TextWriter output, TextWriter error)
    {
        var command = args.FirstOrDefault();
        var rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "serve":
                return await ServeCommand.RunAsync(rest, configure, error);
            case "check":
                return CheckCommand.Run(rest, configure, output, error);
            case "version" or "--version":
                await output.WriteLineAsync(VersionCommand.Text);
                return 0;
            case "help" or "--help" or "-h":
                await output.WriteLineAsync(CommandUsage.Text);
                return 0;
            case { } unknown when !unknown.StartsWith('-'):
                await error.WriteLineAsync($"zones: unknown command \"{unknown}\"; use serve, check, version or help.{Environment.NewLine}{CommandUsage.Text}");
                return 2;
            default:
                var builder = ZonesHost.CreateBuilder(args);
                configure?.Invoke(builder);
                return await ZonesHost.RunAsync(builder);
        }
    }
}
