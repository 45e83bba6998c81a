namespace Zones.Http;

/// <summary>Character classes of RFC 9110 (tokens, field values) used by the parser and header checks.</summary>
public static class HttpCharacters
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly bool[] TokenTable = BuildTokenTable();

    private static bool[] BuildTokenTable()
    {
        var table = new bool[128];
        for (var c = '0'; c <= '9'; c++) table[c] = true;
        for (var c = 'a'; c <= 'z'; c++) table[c] = true;
        for (var c = 'A'; c <= 'Z'; c++) table[c] = true;
        foreach (var c in "!#$%&'*+-.^_`|~") table[c] = true;
        return table;
    }

    public static bool IsTokenChar(byte b) => b < 128 && TokenTable[b];

    public static bool IsToken(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (var b in value) if (!IsTokenChar(b)) return false;
        return true;
    }

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
}
