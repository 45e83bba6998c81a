using System.Net;
using System.Text;

namespace Zones.Handlers;

/// <summary>
/// Wibble's vars: an HTML page showing the state the handler received — request line, headers,
/// the zone's prefix, suffix and fspath, the user a guard zone checked, provisional response headers. Every value is
/// HTML-escaped, so a hostile header cannot script the page. For debugging; keep it off public sites.
/// </summary>
public sealed class VarsHandler : IZoneHandler
{
    /// <inheritdoc/>
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var request = context.Request;
        var html = new StringBuilder("<!doctype html>\n<meta charset=\"utf-8\">\n<title>vars</title>\n");
        html.Append("<style>body{font-family:sans-serif}th{text-align:left;padding-right:1em}td,th{vertical-align:top}</style>\n");
        Section(html, "request",
        [
            ("method", request.Method), ("target", request.Target), ("path", request.Path), ("query", request.QueryString),
            ("protocol", request.Protocol), ("host", request.Host), ("remote", request.RemoteEndPoint?.ToString() ?? ""),
            ("content-length", request.ContentLength?.ToString() ?? ""), ("chunked", request.IsChunked ? "yes" : "no"),
            ("https", request.IsHttps ? "yes" : "no"), ("client certificate", request.ClientCertificate?.Subject ?? ""),
        ]);
        Section(html, "zone",
        [
            ("prefix", context.Prefix), ("suffix", context.Suffix), ("fspath", context.FsPath ?? ""), ("state path", context.Path),
            ("user", context.State.User ?? ""),
        ]);
        Section(html, "headers", request.Headers.Select(h => (h.Key, h.Value)));
        Section(html, "response headers", context.State.ResponseHeaders.Select(h => (h.Key, h.Value)));
        Section(html, "items", context.State.Items.Select(i => (i.Key, i.Value?.ToString() ?? "")));
        return ZoneResult.Respond(ZoneResponse.Html(html.ToString()));
    }

    private static void Section(StringBuilder html, string title, IEnumerable<(string Name, string Value)> rows)
    {
        html.Append("<h2>").Append(WebUtility.HtmlEncode(title)).Append("</h2>\n<table>\n");
        foreach (var (name, value) in rows)
        {
            html.Append("<tr><th>").Append(WebUtility.HtmlEncode(name)).Append("</th><td>")
                .Append(WebUtility.HtmlEncode(value)).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }
}
