namespace Zones.Hosting;

/// <summary>zones.json (or the Server section) is wrong. The message names the file, each bad entry and its fix.</summary>
public sealed class ZoneConfigurationException(string file, IReadOnlyList<string> problems)
    : Exception(Format(file, problems))
{
    /// <summary>The full path of the zone file the problems are in.</summary>
    public string File { get; } = file;

    /// <summary>Every problem found, each naming its entry (e.g. "Zones[1] (Prefix "/x")") and its fix; at least one.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Format(string file, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"{file}: {problems[0]}"
            : $"{file}: {problems.Count} problems:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"));
}
