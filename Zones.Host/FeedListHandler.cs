using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Zones.Handlers.Feeds;

namespace Zones.Host;

/// <summary>
/// The demo's /admin page: the feeds declared in zones.json (Feeds:Names), each with its last
/// event id and how many subscribers it has now, and who is looking (the user the basicauth zone
/// before it checked).
/// </summary>
public sealed class FeedListHandler(IFeeds feeds, IOptions<FeedsOptions> options) : IZoneHandler
{
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
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
        foreach (var name in options.Value.Names.Order(StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(name)).Append("</td><td>").Append(WebUtility.HtmlEncode(await LastIdAsync(name, context.RequestAborted)))
                .Append("</td><td>").Append(feeds.SubscriberCount(name)).Append("</td></tr>\n");
        }
        html.Append("</table>\n</body>\n</html>\n");
        return ZoneResult.Respond(ZoneResponse.Html(html.ToString()));
    }

    private async Task<string> LastIdAsync(string feed, CancellationToken cancellationToken)
    {
        try
        {
            var kept = await feeds.SinceAsync(feed, after: null, cancellationToken: cancellationToken);
            return kept.Count == 0 ? "–" : kept[^1].Id;
        }
        catch (FeedsUnavailableException)
        {
            return "unavailable";
        }
    }
}
