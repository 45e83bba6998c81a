namespace Zones.Hosting;

/// <summary>zones.json (or the Server section) is wrong. The message names the file, each bad entry and its fix.</summary>
public sealed class ZoneConfigurationException(string file, IReadOnlyList<string> problems)
    : Exception(Format(file, problems))
{
    public string File { get; } = file;

    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Format(string file, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"{file}: {problems[0]}"
            : $"{file}: {problems.Count} problems:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"));
}
