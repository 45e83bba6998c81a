using System.Net;
using System.Text.RegularExpressions;

namespace Zones.Tests.Static;

public sealed partial class DirListTests : IDisposable
{
    private const string Hostile = "<img src=x onerror=alert(1)>.txt";
    private readonly StaticSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_hostile_file_name_is_escaped_in_the_text_and_in_the_link()
    {
        _site.Write("files/" + Hostile, "harmless");
        _site.Write("files/quote\"&'.txt", "q");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var html = await client.GetStringAsync("/files/");

        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.txt</a>", html);
        Assert.Contains("href=\"/files/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt\"", html);
        Assert.Contains("href=\"/files/quote%22%26%27.txt\"", html);
        Assert.Contains("quote&quot;&amp;&#x27;.txt</a>", html); // the template engine's encoder, as on every page

        // Every link leads back to its file.
        foreach (Match link in Href().Matches(html))
        {
            var href = WebUtility.HtmlDecode(link.Groups[1].Value);
            if (href.EndsWith('/')) continue;
            using var response = await client.GetAsync(href);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("harmless", await client.GetStringAsync("/files/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt"));
    }

    [Fact]
    public async Task A_site_replaces_the_listing_page_with_its_own_template_which_is_never_served_or_listed()
    {
        _site.Write("_dirlist.liquid",
            "<ul id=\"{{ path }}\">{% for e in entries %}<li data-folder=\"{{ e.folder }}\">{{ e.name }} {{ e.length }} {{ e.length_text }}</li>{% endfor %}</ul>");
        _site.Write("docs/<b>.txt", "12345");
        _site.Write("docs/sub/x", "x");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();

        var html = await client.GetStringAsync("/docs/");
        Assert.Equal("<ul id=\"/docs/\"><li data-folder=\"true\">sub/ 0 </li><li data-folder=\"false\">&lt;b&gt;.txt 5 5 bytes</li></ul>", html);
        // The top listing uses it too, and does not show it; fetching it finds nothing.
        Assert.DoesNotContain("_dirlist", await client.GetStringAsync("/"));
        using var source = await client.GetAsync("/_dirlist.liquid");
        Assert.Equal(HttpStatusCode.NotFound, source.StatusCode);
    }

    [Fact]
    public async Task Folders_come_first_then_files_with_size_and_time_and_dotfiles_are_left_out()
    {
        _site.Write("list/b.txt", new byte[2048]);
        _site.Write("list/a.txt", "12345");
        _site.Write("list/z-folder/x", "x");
        _site.Write("list/c-folder/x", "x");
        _site.Write("list/.hidden", "secret");
        File.SetLastWriteTimeUtc(Path.Combine(_site.Root, "list", "a.txt"), new DateTime(2024, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var html = await client.GetStringAsync("/list/");

        var names = Href().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["../", "/list/c-folder/", "/list/z-folder/", "/list/a.txt", "/list/b.txt"], names);
        Assert.DoesNotContain(".hidden", html);
        Assert.Contains("<title>Index of /list/</title>", html);
        Assert.Matches(@"a\.txt</a></td><td class=""size"">5 bytes</td><td>2024-02-03 04:05</td>", html);
        Assert.Contains(">2.0 KiB<", html);
    }

    [Fact]
    public async Task The_listing_path_in_the_title_is_escaped()
    {
        Directory.CreateDirectory(Path.Combine(_site.Root, "<b>"));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var html = await client.GetStringAsync("/%3Cb%3E/");
        Assert.Contains("<title>Index of /&lt;b&gt;/</title>", html);
        Assert.DoesNotContain("<b>", html);
    }

    [Fact]
    public async Task Head_on_a_listing_has_the_length_and_no_body()
    {
        _site.Write("files/a.txt", "a");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        var length = (await client.GetAsync("/files/")).Content.Headers.ContentLength;
        using var head = await client.SendAsync("HEAD", "/files/");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
