using Microsoft.Extensions.Options;

namespace Zones.Hosting;

/// <summary>Checks an options section at start; each problem is reported with the zone file's path, as every start-up problem is.</summary>
internal sealed class ZoneFileValidator<TOptions>(ZoneFile zoneFile, Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = problems(options).Select(p => $"{zoneFile.Path}: {p}").ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
