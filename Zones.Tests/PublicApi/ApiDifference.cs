using System.Text;

namespace Zones.Tests.PublicApi;

/// <summary>Lines only in the baseline (removed from the API) and lines only in the assembly (added to it), each in the listing's order.</summary>
public sealed class ApiDifference
{
    private ApiDifference(IReadOnlyList<string> removed, IReadOnlyList<string> added) => (Removed, Added) = (removed, added);

    public IReadOnlyList<string> Removed { get; }

    public IReadOnlyList<string> Added { get; }

    public bool IsEmpty => Removed.Count == 0 && Added.Count == 0;

    public static ApiDifference Between(IEnumerable<string> baseline, IEnumerable<string> actual)
    {
        var before = baseline.Where(l => l.Length > 0).ToList();
        var after = actual.ToList();
        var beforeSet = before.ToHashSet(StringComparer.Ordinal);
        var afterSet = after.ToHashSet(StringComparer.Ordinal);
        return new([.. before.Where(l => !afterSet.Contains(l))], [.. after.Where(l => !beforeSet.Contains(l))]);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in Removed) text.Append("- ").AppendLine(line);
        foreach (var line in Added) text.Append("+ ").AppendLine(line);
        return text.ToString();
    }
}
