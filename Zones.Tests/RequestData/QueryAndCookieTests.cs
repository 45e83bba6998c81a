using System.Net;
using Zones.Tests.Infrastructure;
using Zones.RequestData;

namespace Zones.Tests.RequestData;

public sealed class QueryAndCookieTests
{
    [Fact]
    public void A_query_keeps_repeated_keys_in_order_and_decodes_plus_and_percent()
    {
        var query = UrlEncoding.ParseQuery("tag=a&name=J%C3%BCrgen+M%C3%BCller&tag=b&empty=&bare&&x=1%2B1%3D2");
        Assert.Equal(["a", "b"], query.GetValues("tag"));
        Assert.Equal("a", query["tag"]);
        Assert.Equal("Jürgen Müller", query["name"]);
        Assert.Equal("", query["empty"]);
        Assert.Equal("", query["bare"]);
        Assert.Equal("1+1=2", query["x"]);
        Assert.Null(query["missing"]);
        Assert.Equal(["tag", "name", "empty", "bare", "x"], query.Names);
        Assert.Equal(6, query.Count);
    }

    [Fact]
    public void Malformed_escapes_stay_as_sent_and_bad_utf8_becomes_a_replacement_character()
    {
        var query = UrlEncoding.ParseQuery("a=100%&b=%zz&c=%FF&d=%4");
        Assert.Equal("100%", query["a"]);
        Assert.Equal("%zz", query["b"]);
        Assert.Equal("\uFFFD", query["c"]);
        Assert.Equal("%4", query["d"]);
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        var query = UrlEncoding.ParseQuery("A=1&a=2");
        Assert.Equal("1", query["A"]);
        Assert.Equal("2", query["a"]);
    }

    [Fact]
    public void Encode_round_trips_through_decode()
    {
        const string text = "a b&c=d/é+%";
        Assert.Equal(text, UrlEncoding.Decode(UrlEncoding.Encode(text)));
    }

    [Fact]
    public void Cookies_are_split_trimmed_unquoted_and_malformed_pieces_skipped()
    {
        var cookies = Cookies.Parse(["a=1; b=\"two\";  c = 3 ;junk; =nameless; a=shadowed", "d=4"]);
        Assert.Equal("1", cookies["a"]);
        Assert.Equal(["1", "shadowed"], cookies.GetValues("a"));
        Assert.Equal("two", cookies["b"]);
        Assert.Equal("3", cookies["c"]);
        Assert.Equal("4", cookies["d"]);
        Assert.False(cookies.Contains("junk"));
        Assert.Equal(5, cookies.Count);
    }

    [Fact]
    public async Task A_handler_sees_the_query_and_cookies_the_client_sent()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c =>
        {
            var r = c.Request;
            return ZoneResult.Respond(ZoneResponse.Text(
                $"{string.Join(",", r.Query.GetValues("t"))}|{r.Query["q"]}|{r.Cookies["session"]}|{r.Cookies["theme"]}"));
        }));
        using var client = server.CreateClient(new SocketsHttpHandler { UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/search?t=x&q=caf%C3%A9+au+lait&t=y");
        request.Headers.Add("Cookie", "session=abc123; theme=dark");
        using var response = await client.SendAsync(request);
        Assert.Equal("x,y|café au lait|abc123|dark", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Set_cookie_writes_every_attribute()
    {
        var cookie = new SetCookie("session", "abc%20123")
        {
            Path = "/app",
            Domain = "example.org",
            Expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
            MaxAge = TimeSpan.FromHours(1),
            Secure = true,
            HttpOnly = true,
            SameSite = SameSite.Strict,
        };
        Assert.Equal("session=abc%20123; Path=/app; Domain=example.org; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Max-Age=3600; Secure; HttpOnly; SameSite=Strict", cookie.ToString());
        Assert.Equal("gone=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0", SetCookie.Delete("gone").ToString());
    }

    [Theory]
    [InlineData("bad name", "v")]
    [InlineData("n", "a;b")]
    [InlineData("n", "a b")]
    [InlineData("n", "a\r\nSet-Cookie: evil=1")]
    [InlineData("n", "a,b")]
    [InlineData("", "v")]
    public void Set_cookie_refuses_names_and_values_it_cannot_carry(string name, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => new SetCookie(name, value).ToString());
        Assert.Contains("Cookie", e.Message);
    }

    [Fact]
    public void Set_cookie_refuses_attribute_injection_and_samesite_none_without_secure()
    {
        Assert.Throws<ArgumentException>(() => new SetCookie("n", "v") { Path = "/; Domain=evil.example" }.ToString());
        Assert.Throws<ArgumentException>(() => new SetCookie("n", "v") { Domain = "a\nb" }.ToString());
        Assert.Throws<ArgumentException>(() => new SetCookie("n", "v") { SameSite = SameSite.None }.ToString());
        Assert.Equal("n=v; Secure; SameSite=None", new SetCookie("n", "v") { SameSite = SameSite.None, Secure = true }.ToString());
    }

    [Fact]
    public void A_raw_set_cookie_header_with_a_line_break_is_refused_before_it_can_be_sent()
    {
        var response = ZoneResponse.Text("x");
        var e = Assert.Throws<ArgumentException>(() => response.Headers.Add("Set-Cookie", "a=b\r\nX-Injected: 1"));
        Assert.Contains("control character", e.Message);
        Assert.Throws<ArgumentException>(() => response.WithHeader("Set-Cookie", "a=b\nX: 1"));
        Assert.Equal(0, response.Headers.CountOf("Set-Cookie"));
    }

    [Fact]
    public async Task Cookies_set_by_a_handler_reach_the_client_as_separate_headers()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", _ => ZoneResult.Respond(ZoneResponse.Text("ok")
            .WithCookie(new SetCookie("a", "1") { Path = "/", HttpOnly = true })
            .WithCookie(new SetCookie("b", "2") { MaxAge = TimeSpan.FromMinutes(5), SameSite = SameSite.Lax }))));
        var container = new CookieContainer();
        using var client = server.CreateClient(new SocketsHttpHandler { CookieContainer = container });
        using var response = await client.GetAsync("/");
        Assert.Equal(["a=1; Path=/; HttpOnly", "b=2; Max-Age=300; SameSite=Lax"], response.Headers.GetValues("Set-Cookie"));
        var cookies = container.GetCookies(server.BaseAddress);
        Assert.Equal("1", cookies["a"]!.Value);
        Assert.True(cookies["a"]!.HttpOnly);
        Assert.Equal("2", cookies["b"]!.Value);
    }

    [Fact]
    public async Task A_handler_that_sets_a_header_with_a_line_break_gets_a_500_and_nothing_is_injected()
    {
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", _ =>
            ZoneResult.Respond(ZoneResponse.Text("never").WithHeader("Set-Cookie", "a=b\r\nX-Injected: yes"))));
        await using var conn = await server.ConnectAsync();
        await conn.SendAsync("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await conn.ReadResponseAsync();
        Assert.Equal(500, response.Status);
        Assert.False(response.Headers.ContainsKey("X-Injected"));
        Assert.False(response.Headers.ContainsKey("Set-Cookie"));
    }
}
