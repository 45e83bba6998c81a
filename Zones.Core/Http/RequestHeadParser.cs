using System.Buffers;
using System.Text;

namespace Zones.Http;

/// <summary>
/// Parses a complete request head (request line, header lines, empty line) held in one span.
/// Strict where leniency lets requests be smuggled: CRLF only, no obs-fold, no whitespace
/// before a colon, one Host, one Content-Length, never Content-Length with Transfer-Encoding.
/// </summary>
internal static class RequestHeadParser
{
    /// <summary>Parses a head that may span several buffer segments: one segment is parsed in place, several are copied once into a pooled buffer.</summary>
    /// <param name="head">The head, request line to empty line.</param>
    /// <param name="cache">The connection's strings of the previous request, or null.</param>
    /// <param name="headers">A list to fill (emptied first: the connection's previous request's, see RequestReuse), or null for a new one.</param>
    public static RequestHead Parse(in ReadOnlySequence<byte> head, HeaderValueCache? cache = null, HttpHeaders? headers = null)
    {
        if (head.IsSingleSegment) return Parse(head.FirstSpan, cache, headers);
        var length = (int)head.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(rented);
            return Parse(rented.AsSpan(0, length), cache, headers);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static RequestHead Parse(ReadOnlySpan<byte> head, HeaderValueCache? cache = null, HttpHeaders? headers = null)
    {
        var lineEnd = NextLine(head, out var line);
        var (method, target, path, query, version, absoluteAuthority) = ParseRequestLine(line, cache);
        head = head[lineEnd..];

        // One field per line, less the blank line that ends the head: the list is allocated once, at its size.
        var fields = Math.Max(0, head.Count((byte)'\n') - 1);
        if (headers is null) headers = new HttpHeaders(fields);
        else headers.Reuse(fields);
        cache?.BeginHead();
        while (true)
        {
            lineEnd = NextLine(head, out line);
            if (line.IsEmpty) break;
            ParseHeaderLine(line, headers, cache);
            head = head[lineEnd..];
        }

        var request = new RequestHead(method, target, path, query, version, headers);
        ApplyFraming(ref request, absoluteAuthority);
        return request;
    }

    /// <summary>The next CRLF-terminated line (without CRLF) and the offset after it. A lone LF or a bare CR is an error.</summary>
    private static int NextLine(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> line)
    {
        var lf = data.IndexOf((byte)'\n');
        if (lf < 0) throw BadHttpRequestException.Bad("The request head is incomplete.");
        if (lf == 0 || data[lf - 1] != '\r') throw BadHttpRequestException.Bad("A line of the request head ends with a bare LF; CRLF is required.");
        line = data[..(lf - 1)];
        return lf + 1;
    }

    private static (string Method, string Target, string Path, string Query, HttpVersion Version, string? Authority) ParseRequestLine(ReadOnlySpan<byte> line, HeaderValueCache? cache)
    {
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) throw BadHttpRequestException.Bad("The request line is malformed.");
        var methodBytes = line[..sp1];
        if (!HttpCharacters.IsToken(methodBytes)) throw BadHttpRequestException.Bad("The method has an invalid character.");

        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0) throw BadHttpRequestException.Bad("The request line is malformed.");
        var targetBytes = rest[..sp2];
        var versionBytes = rest[(sp2 + 1)..];

        if (!HttpCharacters.IsTarget(targetBytes)) throw BadHttpRequestException.Bad("The request target has an invalid character.");

        var version = ParseVersion(versionBytes);
        var method = HttpMethods.Intern(methodBytes);
        var target = cache is not null ? cache.Target(targetBytes) : Encoding.ASCII.GetString(targetBytes);

        string? authority = null;
        ReadOnlySpan<byte> pathAndQuery;
        if (targetBytes[0] == '/')
        {
            pathAndQuery = targetBytes;
        }
        else if (targetBytes.Length == 1 && targetBytes[0] == '*')
        {
            // asterisk-form is only meaningful for OPTIONS (RFC 9112 §3.2.4).
            if (!ReferenceEquals(method, HttpMethods.Options)) throw BadHttpRequestException.Bad("The \"*\" target is only allowed with OPTIONS.");
            return (method, target, "*", "", version, null);
        }
        else if (TryAbsoluteForm(targetBytes, out var authorityBytes, out pathAndQuery))
        {
            authority = Encoding.ASCII.GetString(authorityBytes);
            // Userinfo, a bad port or a stray character would reach handlers as Request.Host.
            if (!IsValidHost(authority)) throw BadHttpRequestException.Bad("The absolute-form target has no valid authority.");
        }
        else if (ReferenceEquals(method, HttpMethods.Connect))
        {
            throw new BadHttpRequestException(501, "CONNECT is not supported.");
        }
        else
        {
            throw BadHttpRequestException.Bad("The request target must start with '/'.");
        }

        var question = pathAndQuery.IndexOf((byte)'?');
        var rawPath = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var query = question < 0 ? "" : Encoding.ASCII.GetString(pathAndQuery[(question + 1)..]);
        // The common case — an origin-form target with nothing to decode and no query — reuses the target string.
        var path = rawPath.IsEmpty ? "/"
            : rawPath.Length == targetBytes.Length && RequestPath.IsPlain(rawPath) ? target
            : RequestPath.Decode(rawPath);
        return (method, target, path, query, version, authority);
    }

    private static HttpVersion ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("HTTP/1.1"u8)) return HttpVersion.Http11;
        if (version.SequenceEqual("HTTP/1.0"u8)) return HttpVersion.Http10;
        if (version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]))
            throw new BadHttpRequestException(505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
        throw BadHttpRequestException.Bad("The HTTP version is malformed.");
    }

    /// <summary>"http://authority/path?query" (RFC 9112 §3.2.2). The scheme is not case-sensitive.</summary>
    private static bool TryAbsoluteForm(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> authority, out ReadOnlySpan<byte> pathAndQuery)
    {
        authority = default;
        pathAndQuery = default;
        int schemeLength;
        if (target.Length > 7 && Ascii.EqualsIgnoreCase(target[..7], "http://"u8)) schemeLength = 7;
        else if (target.Length > 8 && Ascii.EqualsIgnoreCase(target[..8], "https://"u8)) schemeLength = 8;
        else return false;

        var afterScheme = target[schemeLength..];
        var end = afterScheme.IndexOfAny((byte)'/', (byte)'?');
        authority = end < 0 ? afterScheme : afterScheme[..end];
        if (authority.IsEmpty) throw BadHttpRequestException.Bad("The absolute-form target has no authority.");
        pathAndQuery = end < 0 ? "/"u8 : afterScheme[end..]; // "http://h?q" → path "/" (empty path), query "q"
        return true;
    }

    internal static void ParseHeaderLine(ReadOnlySpan<byte> line, HttpHeaders headers, HeaderValueCache? cache)
    {
        if (line[0] == ' ' || line[0] == '\t')
            throw BadHttpRequestException.Bad("Header folding (obs-fold) is not allowed.");

        var colon = line.IndexOf((byte)':');
        if (colon <= 0) throw BadHttpRequestException.Bad("A header line has no name or no colon.");
        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (headers.Count >= 1000) throw new BadHttpRequestException(431, "The request has too many headers.");

        // The same bytes as the last head's field in this place passed the checks below then.
        if (cache is not null && cache.Repeated(headers.Count, name, value) is { } repeated)
        {
            headers.AddUnchecked(repeated.Key, repeated.Value);
            return;
        }

        if (!HttpCharacters.IsToken(name))
            throw BadHttpRequestException.Bad("A header name has an invalid character (or whitespace before the colon).");
        var invalid = HttpCharacters.IndexOfInvalidFieldValueByte(value);
        if (invalid >= 0)
            throw BadHttpRequestException.Bad(value[invalid] == '\r' ? "A header value holds a bare CR." : "A header value has an invalid character.");

        var field = cache is not null ? cache.Field(headers.Count, name, value) : new(HeaderNames.Intern(name), HeaderValueCache.Decode(value));
        headers.AddUnchecked(field.Key, field.Value);
    }

    /// <summary>Works out Host, body framing, keep-alive and expectations, refusing the ambiguous combinations.</summary>
    private static void ApplyFraming(ref RequestHead request, string? absoluteAuthority)
    {
        var headers = request.Headers;
        string? host = null, contentLength = null, transferEncoding = null, expect = null;
        int hosts = 0, contentLengths = 0, transferEncodings = 0, expects = 0;
        bool connectionClose = false, connectionKeepAlive = false;
        // One walk over the fields (the parser interns every known name, so a reference compares it).
        foreach (var (name, value) in headers)
        {
            if (ReferenceEquals(name, HeaderNames.Host)) { hosts++; host = value; }
            else if (ReferenceEquals(name, HeaderNames.ContentLength)) { contentLengths++; contentLength = value; }
            else if (ReferenceEquals(name, HeaderNames.TransferEncoding)) { transferEncodings++; transferEncoding = value; }
            else if (ReferenceEquals(name, HeaderNames.Connection))
            {
                connectionClose |= HeaderTokens.Contains(value, "close");
                connectionKeepAlive |= HeaderTokens.Contains(value, "keep-alive");
            }
            else if (ReferenceEquals(name, HeaderNames.Expect)) { expects++; expect ??= value; }
            else if (IsFramingLookalike(name))
                throw BadHttpRequestException.Bad("A header name is Content-Length or Transfer-Encoding with '_' for '-'; a CGI-style proxy would read it as the real one.");
        }

        if (hosts > 1) throw BadHttpRequestException.Bad("The request has more than one Host header.");
        if (hosts == 0 && request.Version == HttpVersion.Http11) throw BadHttpRequestException.Bad("An HTTP/1.1 request must have a Host header.");
        if (host is not null && !IsValidHost(host)) throw BadHttpRequestException.Bad("The Host header is not a valid host[:port].");
        // RFC 9112 §3.2: an absolute-form target names the host and the Host header is ignored;
        // otherwise Host is the only authority there is, and an http URI's host cannot be empty.
        if (absoluteAuthority is null && host is { Length: 0 }) throw BadHttpRequestException.Bad("The Host header is empty.");
        request.Host = absoluteAuthority ?? host ?? "";

        if (transferEncodings > 0)
        {
            if (transferEncodings > 1) throw BadHttpRequestException.Bad("The request has more than one Transfer-Encoding header.");
            if (contentLengths > 0) throw BadHttpRequestException.Bad("The request has both Content-Length and Transfer-Encoding.");
            if (request.Version == HttpVersion.Http10) throw BadHttpRequestException.Bad("Transfer-Encoding is not allowed in HTTP/1.0.");
            ParseTransferEncoding(transferEncoding!);
            request.IsChunked = true;
        }
        else if (contentLengths > 0)
        {
            if (contentLengths > 1) throw BadHttpRequestException.Bad("The request has more than one Content-Length header.");
            request.ContentLength = ParseContentLength(contentLength!);
        }

        request.KeepAliveRequested = request.Version == HttpVersion.Http11 ? !connectionClose : connectionKeepAlive && !connectionClose;

        if (expect is not null)
        {
            if (!expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase) || expects > 1)
                throw new BadHttpRequestException(417, "The only supported expectation is 100-continue.");
            // An HTTP/1.0 client cannot understand 100 Continue (RFC 9110 §10.1.1): ignore it there.
            request.ExpectsContinue = request.Version == HttpVersion.Http11 && request.HasBody;
        }
    }

    /// <summary>
    /// RFC 9112 §6.3: unless chunked is the final coding, applied once, the body's length cannot be
    /// known → 400 (and close, as every refusal does). With chunked last, any other coding is one
    /// Zones does not implement → 501.
    /// </summary>
    private static void ParseTransferEncoding(string value)
    {
        var codings = 0;
        var chunked = 0;
        var lastIsChunked = false;
        foreach (var range in value.AsSpan().Split(','))
        {
            var coding = value.AsSpan()[range].Trim(" \t");
            if (coding.IsEmpty) continue;
            codings++;
            lastIsChunked = coding.Equals("chunked", StringComparison.OrdinalIgnoreCase);
            if (lastIsChunked) chunked++;
            else if (!HttpCharacters.IsToken(coding)) throw BadHttpRequestException.Bad("Transfer-Encoding is malformed.");
        }
        if (codings == 0) throw BadHttpRequestException.Bad("Transfer-Encoding is empty.");
        if (!lastIsChunked) throw BadHttpRequestException.Bad("Transfer-Encoding does not end with chunked, so the body length cannot be determined.");
        if (chunked > 1) throw BadHttpRequestException.Bad("Transfer-Encoding applies chunked more than once.");
        if (codings > 1) throw new BadHttpRequestException(501, "The only supported transfer coding is chunked.");
    }

    /// <summary>"Content_Length", "transfer_encoding"…: the framing headers with '_' for '-' (names that are exactly the real ones are interned and never get here).</summary>
    private static bool IsFramingLookalike(string name) =>
        name.Length is 14 or 17 && name.Contains('_') && (Underscored(name, HeaderNames.ContentLength) || Underscored(name, HeaderNames.TransferEncoding));

    private static bool Underscored(string name, string real)
    {
        if (name.Length != real.Length) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' ? real[i] != '-' : char.ToLowerInvariant(c) != char.ToLowerInvariant(real[i])) return false;
        }
        return true;
    }

    private static long ParseContentLength(string value)
    {
        if (value.Length == 0 || value.Length > 18) throw BadHttpRequestException.Bad("Content-Length is not a valid number.");
        long length = 0;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c)) throw BadHttpRequestException.Bad("Content-Length is not a valid number.");
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private static readonly SearchValues<char> IPv6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");
    // reg-name (RFC 3986 §3.2.2) and IPv4: unreserved, sub-delims and percent-encoding.
    private static readonly SearchValues<char> RegNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%");

    /// <summary>uri-host [ ":" port ] — a reg-name, IPv4 address or bracketed IPv6 address, and a port up to 65535.</summary>
    internal static bool IsValidHost(string host)
    {
        if (host.Length == 0) return true; // allowed when the target has no authority (RFC 9112 §3.2)
        var span = host.AsSpan();
        ReadOnlySpan<char> port;
        if (span[0] == '[')
        {
            var close = span.IndexOf(']');
            if (close < 2) return false;
            if (span[1..close].ContainsAnyExcept(IPv6Chars)) return false;
            port = span[(close + 1)..];
            if (!port.IsEmpty && port[0] != ':') return false;
        }
        else
        {
            var colon = span.IndexOf(':');
            var name = colon < 0 ? span : span[..colon];
            if (name.ContainsAnyExcept(RegNameChars)) return false;
            port = colon < 0 ? default : span[colon..];
        }
        if (port.IsEmpty) return true;
        port = port[1..];
        if (port.Length > 5) return false;
        var number = 0;
        foreach (var c in port)
        {
            if (!char.IsAsciiDigit(c)) return false;
            number = number * 10 + (c - '0');
        }
        return number <= 65535;
    }
}
