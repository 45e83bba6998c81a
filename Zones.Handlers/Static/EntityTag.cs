
namespace Zones.Handlers.Static;

/// <summary>
/// Entity tags (RFC 9110 §8.8.3) and the comparisons the conditional headers need. Tags are kept
/// as their field text, e.g. <c>"5f3a-1c"</c> or <c>W/"5f3a-1c-gzip"</c>.
/// </summary>
internal static class EntityTag
{
    /// <summary>A strong tag from a file's length and modification time: any change to either changes it.</summary>
    public static string ForFile(long length, DateTimeOffset lastModified, string? variant = null) =>
        variant is null
            ? $"\"{lastModified.UtcTicks:x}-{length:x}\""
            : $"\"{lastModified.UtcTicks:x}-{length:x}-{variant}\"";

    public static string Weaken(string tag) => IsWeak(tag) ? tag : "W/" + tag;

    public static bool IsWeak(ReadOnlySpan<char> tag) => tag.StartsWith("W/", StringComparison.Ordinal);

    /// <summary>Strong comparison (If-Match, If-Range): both strong and the same opaque text.</summary>
    public static bool StrongEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        !IsWeak(a) && !IsWeak(b) && a.SequenceEqual(b);

    /// <summary>Weak comparison (If-None-Match): the same opaque text, whether or not either is marked weak.</summary>
    public static bool WeakEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => Opaque(a).SequenceEqual(Opaque(b));

    /// <summary>
    /// Whether an If-Match / If-None-Match field value matches <paramref name="current"/>: "*" matches
    /// any current representation, otherwise any listed tag compared strongly or weakly. Several
    /// field lines count as one list. A malformed element matches nothing.
    /// </summary>
    public static bool ListMatches(IReadOnlyList<string> fieldValues, string current, bool weak)
    {
        foreach (var value in fieldValues)
        {
            var rest = value.AsSpan();
            while (TryTakeElement(ref rest, out var element))
            {
                if (element.SequenceEqual("*")) return true;
                if (weak ? WeakEquals(element, current) : StrongEquals(element, current)) return true;
            }
        }
        return false;
    }

    // Elements are separated by commas, but a comma may sit inside the quotes of a tag.
    private static bool TryTakeElement(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> element)
    {
        rest = rest.TrimStart(" \t,");
        if (rest.IsEmpty) { element = default; return false; }
        var start = rest.StartsWith("W/", StringComparison.Ordinal) ? 2 : 0;
        int end;
        if (start < rest.Length && rest[start] == '"')
        {
            var close = rest[(start + 1)..].IndexOf('"');
            end = close < 0 ? rest.Length : start + 1 + close + 1;
        }
        else
        {
            var comma = rest.IndexOf(',');
            end = comma < 0 ? rest.Length : comma;
        }
        element = rest[..end].TrimEnd(" \t");
        rest = rest[end..];
        return true;
    }

    private static ReadOnlySpan<char> Opaque(ReadOnlySpan<char> tag) => IsWeak(tag) ? tag[2..] : tag;
}
