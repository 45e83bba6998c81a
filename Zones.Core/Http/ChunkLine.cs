namespace Zones.Http;

/// <summary>
/// One chunk-size line of the chunked coding, by the exact grammar of RFC 9112 §7.1.1:
/// <code>
/// chunk-size [ chunk-ext ] CRLF            (the last chunk: 1*"0" [ chunk-ext ] CRLF)
/// chunk-ext     = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
/// </code>
/// Nothing else passes: whitespace not followed by ';' or '=', a ';' without a name, a name or
/// value that is not a token, an unterminated quoted string. Two parsers can only agree on where a
/// chunk ends if neither of them guesses, so this one does not.
/// </summary>
internal static class ChunkLine
{
    /// <summary>
    /// The chunk size of <paramref name="line"/> (CRLF removed); <paramref name="extensionLength"/>
    /// is how many bytes followed the size (the extensions with their whitespace).
    /// </summary>
    public static long Parse(ReadOnlySpan<byte> line, out int extensionLength)
    {
        long size = 0;
        var digits = 0;
        while (digits < line.Length && Hex.IsDigit(line[digits]))
        {
            // Leading zeros are allowed (1*HEXDIG); a size past 63 bits is not.
            if (size > long.MaxValue >> 4) throw BadHttpRequestException.Bad("A chunk size is too large.");
            size = (size << 4) | (long)Hex.Value(line[digits]);
            digits++;
        }
        if (digits == 0) throw BadHttpRequestException.Bad("A chunk size is not a hexadecimal number.");
        var extensions = line[digits..];
        CheckExtensions(extensions);
        extensionLength = extensions.Length;
        return size;
    }

    private static void CheckExtensions(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            i = SkipWhitespace(s, i);
            if (i == s.Length || s[i] != ';')
                throw BadHttpRequestException.Bad(i == s.Length
                    ? "A chunk line ends in whitespace (it is only allowed before ';' or '=')."
                    : "A chunk size is followed by something other than an extension.");
            i = SkipWhitespace(s, i + 1);
            var name = TokenLength(s[i..]);
            if (name == 0) throw BadHttpRequestException.Bad("A chunk extension has no name, or a name that is not a token.");
            i += name;
            var afterName = SkipWhitespace(s, i);
            if (afterName == s.Length || s[afterName] != '=') continue; // the next round wants ';' there
            i = SkipWhitespace(s, afterName + 1);
            var value = i < s.Length && s[i] == '"' ? QuotedStringLength(s[i..]) : TokenLength(s[i..]);
            if (value == 0) throw BadHttpRequestException.Bad("A chunk extension value is neither a token nor a quoted string.");
            i += value;
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t') i++;
        return i;
    }

    private static int TokenLength(ReadOnlySpan<byte> s)
    {
        var n = 0;
        while (n < s.Length && HttpCharacters.IsTokenChar(s[n])) n++;
        return n;
    }

    /// <summary>
    /// The length of the quoted-string at the start of <paramref name="s"/>, quotes included, or 0
    /// when it is not one: qdtext is HTAB, SP, visible ASCII but '"' and '\', and obs-text;
    /// a quoted-pair is '\' before HTAB, SP, visible ASCII or obs-text (RFC 9110 §5.6.4).
    /// </summary>
    private static int QuotedStringLength(ReadOnlySpan<byte> s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            var b = s[i];
            if (b == '"') return i + 1;
            if (b == '\\')
            {
                if (++i == s.Length || !IsQuotable(s[i])) return 0;
            }
            else if (!IsQuotable(b)) return 0;
        }
        return 0; // no closing quote
    }

    // HTAB / SP / VCHAR / obs-text: exactly the bytes a field value may hold.
    private static bool IsQuotable(byte b) => HttpCharacters.IsFieldValueByte(b);
}
