using System.Net;
using System.Text;
using Zones.Handlers.Feeds;

namespace Zones.Host;

/// <summary>
/// The demo's /admin page: the feeds that exist, each with its last event id and how many
/// subscribers it has now, and who is looking (the user the basicauth zone before it checked).
/// </summary>
public sealed class FeedListHandler(IFeeds feeds) : IZoneHandler
{
    public ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        if (context.Suffix is not ("" or "/")) return ZoneResult.Pass;
        var html = new StringBuilder("""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Admin · Zones</title><link rel="stylesheet" href="/pages.css"></head>
            <body>
            <nav><a href="/">home</a> · <a href="/live.html">live</a></nav>
            <h1>Feeds</h1>
            """);
        html.Append("<p>Signed in as <strong>").Append(WebUtility.HtmlEncode(context.State.User ?? "nobody")).Append("</strong>.</p>\n");
        html.Append("<table>\n<tr><th>feed</th><th>last id</th><th>subscribers</th></tr>\n");
        foreach (var name in feeds.Names.Order(StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(name)).Append("</td><td>").Append(feeds.LastId(name))
                .Append("</td><td>").Append(feeds.SubscriberCount(name)).Append("</td></tr>\n");
        }
        html.Append("</table>\n</body>\n</html>\n");
        return ZoneResult.Respond(ZoneResponse.Html(html.ToString()));
    }
}
