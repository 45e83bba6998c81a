using System.Net;
using Zones.Handlers;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Static;

namespace Zones.Tests.Static;

/// <summary>dirslash, indexfile and contenttype working together, and the root's safety rules.</summary>
public sealed class ChainTests : IDisposable
{
    private readonly StaticSite _site = new();

    public void Dispose() => _site.Dispose();

    private static HttpClient NoRedirects(TestServer server) => server.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });

    [Theory]
    [InlineData("/docs", "/docs/")]
    [InlineData("/docs?x=1&y=%20", "/docs/?x=1&y=%20")]
    [InlineData("/a%20b", "/a%20b/")]
    [InlineData("//docs", "/docs/")] // never a protocol-relative Location
    public async Task A_folder_without_its_slash_is_redirected(string target, string location)
    {
        _site.Write("docs/index.html", "docs");
        _site.Write("a b/index.html", "spaced");
        await using var server = await _site.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(301, response.Status);
        Assert.Equal(location, response.Headers["Location"]);
    }

    [Fact]
    public async Task Only_get_and_head_are_redirected()
    {
        Directory.CreateDirectory(Path.Combine(_site.Root, "docs"));
        await using var server = await _site.StartAsync();
        using var client = NoRedirects(server);
        Assert.Equal(HttpStatusCode.MovedPermanently, (await client.SendAsync("HEAD", "/docs")).StatusCode);
        using var post = await client.SendAsync("POST", "/docs");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode); // dirlist answers for the folder
        Assert.Equal("GET, HEAD", post.Header("Allow"));
    }

    [Fact]
    public async Task A_folder_serves_its_index_file()
    {
        _site.Write("index.html", "<p>home</p>");
        _site.Write("docs/index.html", "<p>docs</p>");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var home = await client.GetAsync("/");
        Assert.Equal("<p>home</p>", await home.Content.ReadAsStringAsync());
        Assert.Equal("text/html; charset=utf-8", home.Header("Content-Type"));
        Assert.Equal("<p>docs</p>", await client.GetStringAsync("/docs/"));
        Assert.Equal("<p>docs</p>", await client.GetStringAsync("/docs")); // followed the 301
    }

    [Fact]
    public async Task Several_index_names_are_tried_in_order()
    {
        _site.Write("a/index.htm", "htm");
        _site.Write("a/default.html", "default");
        _site.Write("b/default.html", "default");
        await using var server = await _site.StartAsync(indexFile: new IndexFileOptions { IndexFile = ["index.htm", "default.html"] });
        using var client = server.CreateClient();
        Assert.Equal("htm", await client.GetStringAsync("/a/"));
        Assert.Equal("default", await client.GetStringAsync("/b/"));
    }

    [Fact]
    public async Task A_folder_without_an_index_is_listed()
    {
        _site.Write("files/one.txt", "1");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/files/");
        Assert.Equal("text/html; charset=utf-8", response.Header("Content-Type"));
        Assert.Contains("href=\"/files/one.txt\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Contenttype_labels_known_and_configured_types_and_defaults_to_octet_stream()
    {
        _site.Write("notes.md", "# hi");
        _site.Write("data.bin", "x");
        _site.Write("README", "x");
        _site.Write("page.HTML", "x");
        var types = new ContentTypeOptions { TypeTable = { [".md"] = "text/x-markdown", ["bin"] = "application/x-custom" } };
        await using var server = await _site.StartAsync(contentType: types);
        using var client = server.CreateClient();
        Assert.Equal("text/x-markdown; charset=utf-8", (await client.GetAsync("/notes.md")).Header("Content-Type"));
        Assert.Equal("application/x-custom", (await client.GetAsync("/data.bin")).Header("Content-Type"));
        Assert.Equal("application/octet-stream", (await client.GetAsync("/README")).Header("Content-Type"));
        Assert.Equal("text/html; charset=utf-8", (await client.GetAsync("/page.HTML")).Header("Content-Type"));
    }

    [Fact]
    public async Task Contenttype_sets_the_provisional_header_and_goes_on()
    {
        var seen = new List<string?>();
        await using var server = await TestServer.StartAsync(
            new Zone("/", new ContentTypeHandler(new ContentTypeOptions())),
            TestServer.Zone("/", c => { seen.Add(c.State.ResponseHeader("Content-Type")); return ZoneResult.Respond(ZoneResponse.ForStatus(204)); }));
        using var client = server.CreateClient();
        await client.GetAsync("/a/style.css");
        await client.GetAsync("/a/folder/");
        Assert.Equal(["text/css; charset=utf-8", null], seen);
    }

    [Fact]
    public async Task Staticfile_alone_falls_back_to_the_built_in_types()
    {
        _site.Write("style.css", "body{}");
        await using var server = await TestServer.StartAsync(new Zone("/", new StaticFileHandler(new StaticFileOptions()), _site.Root));
        using var client = server.CreateClient();
        Assert.Equal("text/css; charset=utf-8", (await client.GetAsync("/style.css")).Header("Content-Type"));
    }

    [Theory]
    [InlineData("/.env")]
    [InlineData("/.git/config")]
    [InlineData("/.git/")]
    [InlineData("/.git")]
    [InlineData("/sub/.htpasswd")]
    [InlineData("/a/.well-known/x.txt")]
    public async Task Dotfiles_are_not_found(string path)
    {
        _site.Write(".env", "SECRET=1");
        _site.Write(".git/config", "SECRET=2");
        _site.Write("sub/.htpasswd", "SECRET=3");
        _site.Write("a/.well-known/x.txt", "SECRET=4");
        await using var server = await _site.StartAsync();
        using var client = NoRedirects(server);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("SECRET", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_well_known_folder_is_served()
    {
        _site.Write(".well-known/security.txt", "Contact: mailto:security@example.org");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal("Contact: mailto:security@example.org", await client.GetStringAsync("/.well-known/security.txt"));
        Assert.Contains("security.txt", await client.GetStringAsync("/.well-known/"));
    }

    [Theory]
    [InlineData("/a%2Fb.txt")]
    [InlineData("/a%2fb.txt")]
    [InlineData("/a%252Fb.txt")] // a literal "%2F" cannot be told from an encoded slash, so it is refused too
    [InlineData("/a%5Cb.txt")]
    [InlineData("/a%5cb.txt")]
    [InlineData("/a\\b.txt")]
    [InlineData("/sub%2F..%2F..%2Fsecret")]
    public async Task An_encoded_slash_or_a_backslash_is_a_bad_request(string target)
    {
        _site.Write("a/b.txt", "CONTENT-OF-B");
        _site.Write("a%2fb.txt", "CONTENT-OF-B");
        await using var server = await _site.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.DoesNotContain("CONTENT-OF-B", response.BodyText);
    }

    [Fact]
    public async Task Names_with_percent_signs_and_unicode_are_served()
    {
        _site.Write("100%.txt", "percent");
        _site.Write("a%2fb.txt", "lowercase literal");
        _site.Write("café ☕.txt", "unicode");
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal("percent", await client.GetStringAsync("/100%25.txt"));
        Assert.Equal("lowercase literal", await client.GetStringAsync("/a%252fb.txt"));
        Assert.Equal("unicode", await client.GetStringAsync("/caf%C3%A9%20%E2%98%95.txt"));
    }

    [Fact]
    public async Task A_link_that_stays_inside_the_root_is_followed()
    {
        _site.Write("real/file.txt", "inside");
        File.CreateSymbolicLink(Path.Combine(_site.Root, "alias.txt"), "real/file.txt");
        Directory.CreateSymbolicLink(Path.Combine(_site.Root, "linked"), Path.Combine(_site.Root, "real"));
        await using var server = await _site.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal("inside", await client.GetStringAsync("/alias.txt"));
        Assert.Equal("inside", await client.GetStringAsync("/linked/file.txt"));
    }

    [Fact]
    public async Task A_link_leading_out_of_the_root_is_not_found_unless_allowed()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_site.Folder, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(outside, "page.txt"), StaticSite.SecretContent);
        File.CreateSymbolicLink(Path.Combine(_site.Root, "secret.txt"), _site.SecretPath);
        Directory.CreateSymbolicLink(Path.Combine(_site.Root, "out"), outside);

        await using (var server = await _site.StartAsync())
        {
            using var client = NoRedirects(server);
            foreach (var path in new[] { "/secret.txt", "/out/page.txt", "/out/", "/out" })
            {
                using var response = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.DoesNotContain(StaticSite.SecretContent, await response.Content.ReadAsStringAsync());
            }
            var listing = await client.GetStringAsync("/");
            Assert.DoesNotContain("secret.txt", listing);
            Assert.DoesNotContain("out/", listing);
        }

        await using (var server = await _site.StartAsync(root: new RootOptions { AllowSymlinksOutsideRoot = true }))
        {
            using var client = server.CreateClient();
            Assert.Equal(StaticSite.SecretContent, await client.GetStringAsync("/secret.txt"));
            Assert.Equal(StaticSite.SecretContent, await client.GetStringAsync("/out/page.txt"));
            Assert.Contains("page.txt", await client.GetStringAsync("/out/"));
        }
    }

    [Fact]
    public async Task A_root_that_is_itself_a_link_works()
    {
        _site.Write("index.html", "through a linked root");
        var linkedRoot = Path.Combine(_site.Folder, "root-link");
        Directory.CreateSymbolicLink(linkedRoot, _site.Root);
        await using var server = await TestServer.StartAsync(
            new Zone("/", new IndexFileHandler(new IndexFileOptions()), linkedRoot),
            new Zone("/", new StaticFileHandler(new StaticFileOptions()), linkedRoot));
        using var client = server.CreateClient();
        Assert.Equal("through a linked root", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task A_zone_below_the_top_maps_its_suffix_under_its_root()
    {
        _site.Write("app.js", "js");
        await using var server = await TestServer.StartAsync(
            new Zone("/static", new DirSlashHandler(new RootOptions()), _site.Root),
            new Zone("/static", new StaticFileHandler(new StaticFileOptions()), _site.Root),
            new Zone("/static", new DirListHandler(new RootOptions()), _site.Root));
        using var client = NoRedirects(server);
        Assert.Equal("js", await client.GetStringAsync("/static/app.js"));
        using var redirect = await client.GetAsync("/static");
        Assert.Equal("/static/", redirect.Headers.Location!.OriginalString);
        var listing = await client.GetStringAsync("/static/");
        Assert.Contains("href=\"/static/app.js\"", listing);
        Assert.DoesNotContain("href=\"../\"", listing); // the zone's top has no parent link
    }
}
