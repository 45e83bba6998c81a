using System.Text;

namespace Zones.Http;

/// <summary>
/// Per-connection memory of the previous request's header values and target. Clients repeat the
/// same User-Agent, Host and Accept — and often the same target — on every request of a
/// keep-alive connection; reusing the string when the bytes match saves an allocation per header
/// (Kestrel does the same).
/// </summary>
internal sealed class HeaderValueCache
{
    private readonly KeyValuePair<string, string>[] _entries = new KeyValuePair<string, string>[16];
    private int _next;
    private string _target = "";

    /// <summary>The request target as a string: the previous request's when the bytes are the same (the bytes are ASCII, checked by the parser).</summary>
    public string Target(ReadOnlySpan<byte> target)
    {
        if (target.Length != _target.Length || !Ascii.Equals(target, _target)) _target = Encoding.ASCII.GetString(target);
        return _target;
    }

    public string Get(string name, ReadOnlySpan<byte> value)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key is null) break;
            if (ReferenceEquals(entry.Key, name) && entry.Value.Length == value.Length && Ascii.Equals(value, entry.Value))
                return entry.Value;
        }
        var decoded = Decode(value);
        _entries[_next] = new(name, decoded);
        _next = (_next + 1) % _entries.Length;
        return decoded;
    }

    /// <summary>ASCII as is; otherwise UTF-8 when the bytes are valid UTF-8, else Latin-1 so no byte is lost.</summary>
    public static string Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return "";
        if (Ascii.IsValid(value)) return Encoding.ASCII.GetString(value);
        return System.Text.Unicode.Utf8.IsValid(value) ? Encoding.UTF8.GetString(value) : Encoding.Latin1.GetString(value);
    }
}
