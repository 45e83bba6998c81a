using System.Net;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Templates;

namespace Zones.Tests.Templates;

/// <summary>The templatefile handler through a real server: the model, escaping, includes, layouts, the cache and errors.</summary>
public sealed class TemplateFileTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-templates-").FullName;
    private readonly ListLoggerProvider _logs = new();
    private string Root => Path.Combine(_folder, "www");
    private TestServer _server = null!;
    private TemplateFileHandler _handler = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        _handler = new TemplateFileHandler(
            new TemplateFileOptions { Values = new() { ["Site"] = "Zones & Co" }, MaxSteps = 10_000 },
            new ZoneInfo(0, "/", "templatefile", Root, Path.Combine(_folder, "zones.json")),
            loggers.CreateLogger<TemplateFileHandler>());
        _server = await TestServer.StartAsync(
            [
                // Stands in for contenttype: a provisional Content-Type for .json paths.
                TestServer.Zone("/", c => c.Path.EndsWith(".json") ? ZoneResult.Next(c.State.WithResponseHeader("Content-Type", "application/json")) : ZoneResult.Pass),
                new Zone("/", _handler, Root, "templatefile"),
                TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.ForStatus(404))),
            ], null);
        _client = _server.CreateClient(new SocketsHttpHandler { UseCookies = false });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public async Task A_page_renders_from_its_liquid_file_with_the_request_zone_options_and_now()
    {
        Write("about.html.liquid", """
            {{ request.method }} {{ request.path }} {{ request.query.q }} {{ request.query_all.t | join: "+" }}
            {{ request.headers["X-Test"] }} {{ request.headers.x-test }} {{ request.cookies.theme }} {{ request.remote_address }}
            {{ options.Site }} {{ zone.prefix }} {{ now | date: "%Y" }}
            """);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/about.html?q=hello+world&t=a&t=b");
        request.Headers.Add("X-Test", "header value");
        request.Headers.Add("Cookie", "theme=dark");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Equal("GET /about.html hello world a&#x2B;b", lines[0].Trim()); // the encoder escapes '+' too; browsers show "+"
        Assert.Equal("header value header value dark 127.0.0.1", lines[1].Trim());
        Assert.Equal($"Zones &amp; Co / {DateTime.UtcNow.Year}", lines[2].Trim());
    }

    [Fact]
    public async Task Values_are_html_encoded_unless_piped_through_raw()
    {
        Write("echo.html.liquid", "[{{ request.query.v }}] [{{ request.query.v | raw }}]");
        var body = await _client.GetStringAsync("/echo.html?v=%3Cscript%3Ealert(%27x%27)%3C%2Fscript%3E%22%26");
        Assert.Equal("[&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;] [<script>alert('x')</script>\"&]", body);
    }

    [Fact]
    public async Task A_posted_form_and_its_files_are_in_the_model()
    {
        Write("form.html.liquid", "{{ request.form.name }}|{{ request.form_all.tag | join: ',' }}|{% for f in request.files %}{{ f.name }}:{{ f.filename }}:{{ f.length }}{% endfor %}");
        using var urlencoded = await _client.PostAsync("/form.html", new FormUrlEncodedContent([new("name", "Ada <L>"), new("tag", "x"), new("tag", "y")]));
        Assert.Equal("Ada &lt;L&gt;|x,y|", await urlencoded.Content.ReadAsStringAsync());

        using var multipart = new MultipartFormDataContent
        {
            { new StringContent("Grace"), "name" },
            { new ByteArrayContent(new byte[1234]), "upload", "notes.txt" },
        };
        using var posted = await _client.PostAsync("/form.html", multipart);
        Assert.Equal("Grace||upload:notes.txt:1234", await posted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Includes_and_layouts_resolve_inside_the_root()
    {
        Write("_layout.liquid", "<title>{{ title }} · {{ options.Site }}</title><main>{% renderbody %}</main>");
        Write("partials/_item.liquid", "<li>{{ item }}</li>");
        Write("list.html.liquid", "{% layout '_layout' %}{% assign title = 'List' %}<ul>{% for item in request.query_all.i %}{% include 'partials/_item' %}{% endfor %}</ul>");
        var body = await _client.GetStringAsync("/list.html?i=one&i=%3Ctwo%3E");
        Assert.Equal("<title>List · Zones &amp; Co</title><main><ul><li>one</li><li>&lt;two&gt;</li></ul></main>", body);
    }

    [Theory]
    [InlineData("{% include '../secret' %}")]
    [InlineData("{% include '../../secret' %}")]
    [InlineData("{% render '../secret' %}")]
    [InlineData("{% layout '../secret' %}x")]
    public async Task Includes_and_layouts_cannot_leave_the_root(string tag)
    {
        File.WriteAllText(Path.Combine(_folder, "secret.liquid"), "TOP SECRET");
        Write("escape.html.liquid", tag);
        using var response = await _client.GetAsync("/escape.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("TOP SECRET", await response.Content.ReadAsStringAsync());
        // The log names the page, or for a layout the file it could not find.
        await _logs.WaitForAsync(e => e.Level == LogLevel.Error && (e.Message.Contains("escape.html.liquid") || e.Message.Contains("../secret.liquid")));
    }

    [Theory]
    [InlineData("{% include 'out' %}", "out.liquid")]             // the file is a link out of the root
    [InlineData("{% include 'outdir/secret' %}", "outdir")]        // a folder on the way is a link out of the root
    public async Task Includes_through_symbolic_links_cannot_leave_the_root(string tag, string link)
    {
        var outside = Path.Combine(_folder, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.liquid"), "TOP SECRET");
        if (link.EndsWith(".liquid")) File.CreateSymbolicLink(Path.Combine(Root, link), Path.Combine(outside, "secret.liquid"));
        else Directory.CreateSymbolicLink(Path.Combine(Root, link), outside);
        Write("linked.html.liquid", tag);
        using var response = await _client.GetAsync("/linked.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("TOP SECRET", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_absolute_include_path_means_the_root_not_the_file_system()
    {
        Write("_nav.liquid", "nav");
        Write("abs.html.liquid", "{% include '/_nav' %}");
        Assert.Equal("nav", await _client.GetStringAsync("/abs.html"));
        Write("etc.html.liquid", "{% include '/etc/passwd' %}");
        using var response = await _client.GetAsync("/etc.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Parsed_templates_are_reused_and_re_parsed_when_the_file_or_an_include_changes()
    {
        Write("_part.liquid", "part-1");
        Write("page.html.liquid", "v1 {% include '_part' %}");
        var page = Path.Combine(Root, "page.html.liquid");
        var stamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(page, stamp);
        Assert.Equal("v1 part-1", await _client.GetStringAsync("/page.html"));
        Assert.Equal("v1 part-1", await _client.GetStringAsync("/page.html"));
        Assert.Equal(2, _handler.CachedTemplates); // the page and its include, parsed once each

        // Same length, new time.
        Write("page.html.liquid", "v2 {% include '_part' %}");
        File.SetLastWriteTimeUtc(page, stamp.AddSeconds(1));
        Assert.Equal("v2 part-1", await _client.GetStringAsync("/page.html"));

        // New length, the old time put back (a copy that kept its timestamp).
        Write("page.html.liquid", "v3! {% include '_part' %}");
        File.SetLastWriteTimeUtc(page, stamp.AddSeconds(1));
        Assert.Equal("v3! part-1", await _client.GetStringAsync("/page.html"));

        Write("_part.liquid", "part-2 changed");
        Assert.Equal("v3! part-2 changed", await _client.GetStringAsync("/page.html"));
    }

    [Fact]
    public async Task A_template_error_is_a_short_500_for_the_client_and_a_log_line_with_file_line_and_message()
    {
        Write("broken.html.liquid", "line one\n{% if %}\nline three");
        using var response = await _client.GetAsync("/broken.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("500 Internal Server Error", body);
        Assert.DoesNotContain("if", body);
        var entry = await _logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains("broken.html.liquid"));
        Assert.Contains("line 2", entry.Message);
        Assert.Contains("Invalid 'if' tag", entry.Message);
        Assert.Contains("GET /broken.html", entry.Message);
    }

    [Fact]
    public async Task A_runaway_loop_ends_in_a_500()
    {
        Write("loop.html.liquid", "{% for i in (1..100000) %}{{ i }}{% endfor %}"); // MaxSteps is 10 000 here
        using var response = await _client.GetAsync("/loop.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        await _logs.WaitForAsync(e => e.Message.Contains("loop.html.liquid"));
    }

    [Fact]
    public async Task Layouts_nest_eight_deep_and_a_ninth_is_a_500_naming_the_limit()
    {
        // _l1 … _l9: each wraps the body in its number and names the next layout up.
        for (var i = 1; i <= 9; i++)
            Write($"_l{i}.liquid", (i < 9 ? $"{{% layout '_l{i + 1}' %}}" : "") + $"{i}[{{% renderbody %}}]");
        Write("eight.html.liquid", "{% layout '_l2' %}page"); // _l2 … _l9: eight layouts
        Assert.Equal("9[8[7[6[5[4[3[2[page]]]]]]]]", await _client.GetStringAsync("/eight.html"));

        Write("nine.html.liquid", "{% layout '_l1' %}PAGE-BODY"); // _l1 … _l9: nine
        using var response = await _client.GetAsync("/nine.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("PAGE-BODY", await response.Content.ReadAsStringAsync());
        await _logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains("nine.html.liquid") && e.Message.Contains("more than 8 nested layouts"));
    }

    [Fact]
    public async Task A_layout_that_names_itself_ends_at_the_depth_limit()
    {
        Write("_loop.liquid", "{% layout '_loop' %}[{% renderbody %}]");
        Write("looped.html.liquid", "{% layout '_loop' %}page");
        using var response = await _client.GetAsync("/looped.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        await _logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains("more than 8 nested layouts"));
    }

    [Theory]
    [InlineData("{% include 'self' %}")]                      // a template that includes itself
    [InlineData("{% include 'ping' %}")]                      // two that include each other
    [InlineData("x{% render 'self' %}")]
    public async Task A_recursive_include_ends_in_a_500_and_the_server_lives_on(string tag)
    {
        Write("self.liquid", tag);
        Write("ping.liquid", "{% include 'pong' %}");
        Write("pong.liquid", "{% include 'ping' %}");
        Write("recursive.html.liquid", tag);
        using var response = await _client.GetAsync("/recursive.html");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        // Fluid's include depth limit (TemplateOptions.MaxRecursion) stops it, long before the stack would overflow.
        await _logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains("recursive.html.liquid") && e.Message.Contains("maximum level of recursion"));
        Write("after.html.liquid", "still here");
        Assert.Equal("still here", await _client.GetStringAsync("/after.html"));
    }

    [Fact]
    public async Task The_content_type_comes_from_the_state_when_an_earlier_handler_set_it()
    {
        Write("data.json.liquid", "{\"method\":\"{{ request.method }}\"}");
        using var response = await _client.GetAsync("/data.json");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("{\"method\":\"GET\"}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/missing.html", HttpStatusCode.NotFound)]     // no template: the next zone answers
    [InlineData("/_layout", HttpStatusCode.NotFound)]          // partials and layouts are not pages
    [InlineData("/dir/", HttpStatusCode.NotFound)]             // directories are indexfile's business
    [InlineData("/", HttpStatusCode.NotFound)]
    [InlineData("/about.html.liquid", HttpStatusCode.NotFound)] // the source itself is not served
    public async Task Paths_without_a_page_template_pass_to_the_next_zone(string path, HttpStatusCode status)
    {
        Write("_layout.liquid", "layout");
        Write("about.html.liquid", "about");
        Write("dir/index.html.liquid", "index");
        using var response = await _client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task An_index_state_from_indexfile_renders_the_directory_index_template()
    {
        Write("dir/index.html.liquid", "index of {{ request.path }}");
        await using var server = await TestServer.StartAsync(
            [
                // What indexfile does: a directory path becomes the alternatives dir/index.html and dir.
                TestServer.Zone("/", c => c.Path.EndsWith('/') ? ZoneResult.Next(c.State with { Path = c.Path + "index.html" }, c.State) : ZoneResult.Pass),
                new Zone("/", _handler, Root, "templatefile"),
            ], null);
        using var client = server.CreateClient();
        Assert.Equal("index of /dir/index.html", await client.GetStringAsync("/dir/"));
    }

    [Fact]
    public async Task Other_methods_get_405_with_allow()
    {
        Write("about.html.liquid", "about");
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/about.html") { Content = new StringContent("x") });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD", "POST"], response.Content.Headers.Allow);
    }
}
