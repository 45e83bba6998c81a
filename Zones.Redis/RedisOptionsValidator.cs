using Microsoft.Extensions.Options;
using Zones.Hosting;

namespace Zones.Redis;

/// <summary>Checks "Feeds:Redis" at start; each problem names the zone file it came from, as every start-up problem does.</summary>
internal sealed class RedisOptionsValidator(ZoneFile? zoneFile = null) : IValidateOptions<RedisFeedsOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisFeedsOptions options)
    {
        var problems = options.Validate().Select(p => zoneFile is null ? p : $"{zoneFile.Path}: {p}").ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
