using Microsoft.Extensions.Options;
using Zones.Server;

namespace Zones.Hosting;

/// <summary>Checks the "Server" section at start, with messages that name the file and the key.</summary>
internal sealed class ServerOptionsValidator(ZoneFile zoneFile) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Urls.Count; i++)
        {
            try { ListenAddress.Parse(options.Urls[i]); }
            catch (FormatException e) { problems.Add($"Server:Urls[{i}]: {e.Message}"); }
        }
        problems.AddRange(options.Limits.Validate().Select(p => "Server:" + p));
        if (options.ShutdownTimeout < TimeSpan.Zero) problems.Add("Server:ShutdownTimeout must not be negative, e.g. \"00:00:10\"");
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{zoneFile.Path}: {p}"));
    }
}
