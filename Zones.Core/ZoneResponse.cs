using System.Net;
using System.Text;
using Zones.Http;
using Zones.RequestData;

namespace Zones;

/// <summary>
/// A response a handler sends: status, headers and a body. Framing headers (Content-Length,
/// Transfer-Encoding), Date and Connection are the server's business and are written by it; the
/// state's provisional headers (e.g. Content-Type from contenttype) are added where the response
/// does not set its own.
/// </summary>
public sealed class ZoneResponse
{
    /// <summary>A response with a body of any kind; the static factories cover the common ones.</summary>
    /// <param name="status">Three digits, 100 to 999.</param>
    /// <param name="body">The body; none (zero bytes) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> has not three digits.</exception>
    public ZoneResponse(int status = 200, ResponseBody? body = null)
    {
        if (status is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(status), "An HTTP status has three digits.");
        Status = status;
        Body = body ?? ResponseBody.Empty;
    }

    /// <summary>The status code; the reason phrase sent with it is the standard one.</summary>
    public int Status { get; }

    /// <summary>The response's header fields. Setting one with CR, LF or NUL in its name or value throws; framing fields (Content-Length, Transfer-Encoding), Date and Connection are replaced by the server's.</summary>
    public HttpHeaders Headers { get; } = new(4);

    /// <summary>The body; the server disposes it once the response is sent or abandoned.</summary>
    public ResponseBody Body { get; }

    /// <summary>Sets a header and returns the response, for one-expression handlers.</summary>
    public ZoneResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    /// <summary>Adds a Set-Cookie header (several may be added) and returns the response.</summary>
    public ZoneResponse WithCookie(SetCookie cookie)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        Headers.Add(HeaderNames.SetCookie, cookie.ToString());
        return this;
    }

    /// <summary>UTF-8 text; a text/* or +json/+xml type without a charset gets "; charset=utf-8", because that is what is sent.</summary>
    public static ZoneResponse Text(string text, string contentType = "text/plain; charset=utf-8", int status = 200) =>
        new ZoneResponse(status, new TextBody(text)).WithHeader(HeaderNames.ContentType, TextTypes.WithUtf8Charset(contentType));

    /// <summary>HTML text, sent as UTF-8 with "text/html; charset=utf-8". The text is sent as given: escape what came from the request.</summary>
    public static ZoneResponse Html(string html, int status = 200) => Text(html, "text/html; charset=utf-8", status);

    /// <summary>Bytes as they are, with a Content-Length. The memory is read when the response is written, after the handler returns: do not reuse it.</summary>
    public static ZoneResponse Bytes(ReadOnlyMemory<byte> bytes, string contentType = "application/octet-stream", int status = 200) =>
        new ZoneResponse(status, new BytesBody(bytes)).WithHeader(HeaderNames.ContentType, contentType);

    /// <summary>A file, or the byte range [offset, offset+length) of it, streamed from disk.</summary>
    public static ZoneResponse File(string path, string contentType = "application/octet-stream", long offset = 0, long? length = null, int status = 200) =>
        new ZoneResponse(status, new FileBody(path, offset, length)).WithHeader(HeaderNames.ContentType, contentType);

    /// <summary>A stream, copied out and disposed; with no <paramref name="length"/> it is sent chunked.</summary>
    public static ZoneResponse Stream(Stream stream, string contentType = "application/octet-stream", long? length = null, int status = 200) =>
        new ZoneResponse(status, new StreamBody(stream, length)).WithHeader(HeaderNames.ContentType, contentType);

    /// <summary>A body produced by a callback that writes to a stream; sent chunked.</summary>
    public static ZoneResponse Write(Func<Stream, CancellationToken, Task> writer, string contentType = "application/octet-stream", int status = 200) =>
        new ZoneResponse(status, new WriterBody(writer)).WithHeader(HeaderNames.ContentType, contentType);

    /// <summary>A status with a short plain-text body naming it, e.g. "404 Not Found".</summary>
    public static ZoneResponse ForStatus(int status, string? detail = null)
    {
        var text = detail is null ? $"{status} {ReasonPhrases.For(status)}\n" : $"{status} {ReasonPhrases.For(status)}\n{detail}\n";
        return status is 204 or 304 || status < 200 ? new ZoneResponse(status) : Text(text, status: status);
    }

    /// <summary>405 with the Allow field naming the methods that do work here, e.g. "GET, HEAD" (RFC 9110 §15.5.6).</summary>
    public static ZoneResponse MethodNotAllowed(string allow) => ForStatus(405).WithHeader(HeaderNames.Allow, allow);

    /// <summary>A redirect to <paramref name="location"/> (sent as given: absolute, or relative to the request), with a small HTML body linking to it.</summary>
    /// <param name="location">The target; CR, LF or NUL in it throws.</param>
    /// <param name="status">301 by default; 302, 303, 307 and 308 are the other redirects (307 and 308 keep the method).</param>
    public static ZoneResponse Redirect(string location, int status = 301)
    {
        var html = $"<!doctype html><title>{status} {ReasonPhrases.For(status)}</title><a href=\"{WebUtility.HtmlEncode(location)}\">{WebUtility.HtmlEncode(location)}</a>\n";
        return Html(html, status).WithHeader(HeaderNames.Location, location);
    }

    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
}
