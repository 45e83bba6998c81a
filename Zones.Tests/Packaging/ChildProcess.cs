using System.Diagnostics;

namespace Zones.Tests.Packaging;

/// <summary>A command run to its end, or a server started until it listens: what the packaging tests do as a user would at a shell.</summary>
internal static class ChildProcess
{
    public sealed record Result(int Exit, string Output, string Error)
    {
        public override string ToString() => $"exit {Exit}\n{Output}\n{Error}";
    }

    public static async Task<Result> RunAsync(string file, string[] args, string folder, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(file, args, folder))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took more than {timeout}");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command that must succeed; its output is the failure message otherwise.</summary>
    public static async Task<string> MustRunAsync(string file, string[] args, string folder, TimeSpan timeout)
    {
        var result = await RunAsync(file, args, folder, timeout);
        Assert.True(result.Exit == 0, $"{file} {string.Join(' ', args)} (in {folder}) failed: {result}");
        return result.Output;
    }

    /// <summary>A server, started; the caller reads its "Now listening on:" line and kills it.</summary>
    public static Process Start(string file, string[] args, string folder) => Process.Start(StartInfo(file, args, folder))!;

    private static ProcessStartInfo StartInfo(string file, string[] args, string folder)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return start;
    }
}
