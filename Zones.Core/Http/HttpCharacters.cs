using System.Buffers;

namespace Zones.Http;

/// <summary>Character classes of RFC 9110 (tokens, field values) used by the parser and header checks.</summary>
public static class HttpCharacters
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly bool[] TokenTable = BuildTokenTable();

    // The same classes for whole spans, made from the one-byte rules below: a request head is
    // checked with vectorised searches, not byte by byte.
    private static readonly SearchValues<byte> TokenBytes = BytesWhere(IsTokenChar);
    private static readonly SearchValues<byte> NotFieldValueBytes = BytesWhere(b => !IsFieldValueByte(b));
    private static readonly SearchValues<byte> TargetBytes = BytesWhere(IsTargetByte);

    private static SearchValues<byte> BytesWhere(Func<byte, bool> rule) =>
        SearchValues.Create([.. Enumerable.Range(0, 256).Select(b => (byte)b).Where(rule)]);

    private static bool[] BuildTokenTable()
    {
        var table = new bool[128];
        for (var c = '0'; c <= '9'; c++) table[c] = true;
        for (var c = 'a'; c <= 'z'; c++) table[c] = true;
        for (var c = 'A'; c <= 'Z'; c++) table[c] = true;
        foreach (var c in "!#$%&'*+-.^_`|~") table[c] = true;
        return table;
    }

    /// <summary>True for a tchar of RFC 9110 §5.6.2: a letter, a digit or one of <c>!#$%&amp;'*+-.^_`|~</c>.</summary>
    public static bool IsTokenChar(byte b) => b < 128 && TokenTable[b];

    /// <summary>True when <paramref name="value"/> is a token: at least one tchar and nothing else (a header name, a method, a cookie name).</summary>
    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenBytes);

    /// <inheritdoc cref="IsToken(ReadOnlySpan{byte})"/>
    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return false;
        foreach (var c in value) if (c >= 128 || !TokenTable[c]) return false;
        return true;
    }

    /// <summary>field-vchar / SP / HTAB: visible ASCII, obs-text (0x80–0xFF), space and tab. Everything else (NUL, CR, LF, DEL…) is refused.</summary>
    public static bool IsFieldValueByte(byte b) => b >= 0x20 ? b != 0x7F : b == (byte)'\t';

    /// <summary>A byte allowed in a request target: visible ASCII except '#'. Non-ASCII must arrive percent-encoded.</summary>
    public static bool IsTargetByte(byte b) => b > 0x20 && b < 0x7F && b != (byte)'#';

    /// <summary>Where the first byte that <see cref="IsFieldValueByte"/> refuses is, or -1.</summary>
    internal static int IndexOfInvalidFieldValueByte(ReadOnlySpan<byte> value) => value.IndexOfAny(NotFieldValueBytes);

    /// <summary>True when every byte is one <see cref="IsTargetByte"/> allows.</summary>
    internal static bool IsTarget(ReadOnlySpan<byte> target) => !target.ContainsAnyExcept(TargetBytes);
}
