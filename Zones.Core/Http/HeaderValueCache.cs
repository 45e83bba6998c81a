using System.Text;

namespace Zones.Http;

/// <summary>
/// Per-connection memory of the previous request's target and header fields. Clients repeat the
/// same fields — User-Agent, Host, Accept, a browser's sec-ch-ua and Sec-Fetch-* — in the same
/// order on every request of a keep-alive connection, and often the same target; reusing the
/// strings when the bytes match saves an allocation per field (Kestrel does the same for its
/// known headers). A field is looked for first where it was in the previous head, then anywhere
/// in it (a field added or dropped shifts the rest), so a head of any size costs one comparison
/// a field once it repeats.
/// </summary>
internal sealed class HeaderValueCache
{
    // Fields remembered per head; a browser sends about 15. Grown to the heads seen, so a
    // connection of curl-sized heads holds a few entries, not this many.
    private const int MaxFields = 64;

    // The last head's fields, looked up; the fields of the head being parsed, written. Kept apart
    // so that a field added in front does not overwrite one that comes later in this head too.
    private KeyValuePair<string, string>[] _previous = [], _current = [];
    private int _previousCount, _currentCount;
    private string _target = "";

    /// <summary>The request target as a string: the previous request's when the bytes are the same (the bytes are ASCII, checked by the parser).</summary>
    public string Target(ReadOnlySpan<byte> target)
    {
        if (target.Length != _target.Length || !Ascii.Equals(target, _target)) _target = Encoding.ASCII.GetString(target);
        return _target;
    }

    /// <summary>A new head begins: the fields parsed so far become the last head's.</summary>
    public void BeginHead()
    {
        (_previous, _current) = (_current, _previous);
        (_previousCount, _currentCount) = (_currentCount, 0);
    }

    /// <summary>
    /// The last head's field at <paramref name="index"/> when this head's field there has the very
    /// same bytes (remembered for the next head, as <see cref="Field"/> does), else null. Its strings
    /// were made from bytes the parser had checked, and an ASCII string equals only the bytes it
    /// came from, so the caller may skip its checks for it.
    /// </summary>
    public KeyValuePair<string, string>? Repeated(int index, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (index >= _previousCount) return null;
        var previous = _previous[index];
        if (!Ascii.Equals(name, previous.Key) || !Ascii.Equals(value, previous.Value)) return null;
        Remember(index, previous);
        return previous;
    }

    /// <summary>The field at <paramref name="index"/> of the head being parsed as strings (its name interned, see <see cref="HeaderNames"/>), remembered for the next head.</summary>
    public KeyValuePair<string, string> Field(int index, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (index >= MaxFields) return new(HeaderNames.Intern(name), Decode(value));
        var field = Find(index, name, value);
        Remember(index, field);
        return field;
    }

    private void Remember(int index, KeyValuePair<string, string> field)
    {
        if (index >= _current.Length) Array.Resize(ref _current, Math.Min(MaxFields, Math.Max(8, _current.Length * 2)));
        _current[index] = field;
        _currentCount = index + 1;
    }

    private KeyValuePair<string, string> Find(int index, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // The same field in its place is Repeated's; here the name or the value differs from it.
        var previous = _previous.AsSpan(0, _previousCount);
        var fieldName = index < previous.Length && Ascii.Equals(name, previous[index].Key)
            ? previous[index].Key
            : NameIn(previous, name) ?? HeaderNames.Intern(name);
        return new(fieldName, ValueIn(previous, fieldName, value) ?? Decode(value));
    }

    // Ascii.Equals is false for non-ASCII bytes: such a name or value is decoded anew each time.
    private static string? NameIn(ReadOnlySpan<KeyValuePair<string, string>> fields, ReadOnlySpan<byte> name)
    {
        foreach (var field in fields)
        {
            if (Ascii.Equals(name, field.Key)) return field.Key;
        }
        return null;
    }

    private static string? ValueIn(ReadOnlySpan<KeyValuePair<string, string>> fields, string name, ReadOnlySpan<byte> value)
    {
        foreach (var field in fields)
        {
            if (ReferenceEquals(field.Key, name) && Ascii.Equals(value, field.Value)) return field.Value;
        }
        return null;
    }

    /// <summary>ASCII as is; otherwise UTF-8 when the bytes are valid UTF-8, else Latin-1 so no byte is lost.</summary>
    public static string Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return "";
        if (Ascii.IsValid(value)) return Encoding.ASCII.GetString(value);
        return System.Text.Unicode.Utf8.IsValid(value) ? Encoding.UTF8.GetString(value) : Encoding.Latin1.GetString(value);
    }
}
