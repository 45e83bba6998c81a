using System.Collections;
using System.Reflection;
using System.Text;
using Zones.Http;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>
/// A keep-alive connection resets its request, context and first state for the next request
/// (RequestReuse.cs). The security half: the next request sees nothing of the last —
/// headers, cookies, user, form, query, body, trailers. The rule half: a handler that kept the
/// last request sees the next one; after a take-over nothing is reused.
/// </summary>
public sealed class RequestReuseTests
{
    private const string FormType = "application/x-www-form-urlencoded";

    // An optional guard: X-User sets the state's user, as basicauth or bearer would.
    private static readonly Zone Guard = TestServer.Zone("/", c =>
        c.Request.Headers["X-User"] is { } user ? ZoneResult.Next(c.State with { User = user }) : ZoneResult.Pass);

    /// <summary>Everything a handler can read of its request, one line each.</summary>
    private static async ValueTask<ZoneResult> DescribeAsync(ZoneContext c, List<HttpRequest> seen)
    {
        var r = c.Request;
        seen.Add(r);
        var form = r.HasFormContentType ? await r.ReadFormAsync() : null;
        var body = form is null ? await new StreamReader(r.Body).ReadToEndAsync() : "";
        var lines = new[]
        {
            $"path={r.Path} target={r.Target} suffix={c.Suffix}",
            $"headers={string.Join(",", r.Headers.Select(h => h.Key))}",
            $"query={r.Query}",
            $"cookies={r.Cookies}",
            $"user={c.State.User ?? "-"}",
            $"items={c.State.Items.Count}",
            $"accept={string.Join(",", r.Accept.Select(a => a.Value))}",
            $"form={form?.Fields.ToString() ?? "-"}",
            $"body={body}",
            $"trailers={string.Join(",", r.Trailers.Select(t => t.Key))}",
            $"length={r.ContentLength?.ToString() ?? "-"} chunked={r.IsChunked}",
        };
        return ZoneResult.Respond(ZoneResponse.Text(string.Join("\n", lines)));
    }

    private static async Task<Dictionary<string, string>> AskAsync(RawConnection connection, string request)
    {
        await connection.SendAsync(request);
        var response = await connection.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        return response.BodyText.Split('\n').Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    [Theory]
    [InlineData("/app/x?secret=1", "/app/x?secret=1")] // the same target: the first state is reused too
    [InlineData("/app/x?secret=1", "/app/y")]
    public async Task The_next_request_on_a_connection_sees_nothing_of_the_last(string firstTarget, string secondTarget)
    {
        var seen = new List<HttpRequest>();
        await using var server = await TestServer.StartAsync(Guard, TestServer.Zone("/app", c => DescribeAsync(c, seen)));
        await using var connection = await server.ConnectAsync();

        var first = await AskAsync(connection, $"POST {firstTarget} HTTP/1.1\r\nHost: t\r\nX-User: alice\r\nCookie: session=abc\r\n"
            + $"Accept: text/html\r\nX-Secret: 1\r\nContent-Type: {FormType}\r\nContent-Length: 9\r\n\r\ncard=4111");
        Assert.Equal("alice", first["user"]); // the first one saw all of it
        Assert.Equal("session=abc", first["cookies"]);
        Assert.Equal("card=4111", first["form"]);
        Assert.Equal("text/html", first["accept"]);

        // The second asks for nothing: no user, no cookie, no form, no Accept, no body.
        var second = await AskAsync(connection, $"GET {secondTarget} HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Same(seen[0], seen[1]); // the same object, reset — else this test would prove nothing
        Assert.Equal("Host", second["headers"]);
        Assert.Equal(secondTarget.Contains('?') ? "secret=1" : "", second["query"]);
        Assert.Equal("", second["cookies"]);
        Assert.Equal("-", second["user"]);
        Assert.Equal("0", second["items"]);
        Assert.Equal("", second["accept"]);
        Assert.Equal("-", second["form"]);
        Assert.Equal("", second["body"]);
        Assert.Equal("- chunked=False", second["length"]);
    }

    [Fact]
    public async Task The_next_response_carries_nothing_of_the_last_status_headers_or_provisional_headers()
    {
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/", c => c.Request.Headers.Contains("X-First")
                ? ZoneResult.Next(c.State.WithResponseHeader("X-Provisional", "1").WithoutResponseHeader("Server"))
                : ZoneResult.Pass),
            TestServer.Zone("/same", c => ZoneResult.Respond(c.Request.Headers.Contains("X-First")
                ? ZoneResponse.ForStatus(404).WithHeader("X-Own", "1").WithCookie(new Zones.RequestData.SetCookie("s", "secret"))
                : new ZoneResponse(204))));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /same HTTP/1.1\r\nHost: t\r\nX-First: 1\r\n\r\n");
        var first = await connection.ReadResponseAsync();
        Assert.Equal((404, "1", "1", true, false), (first.Status, first.Headers["X-Provisional"], first.Headers["X-Own"], first.Headers.ContainsKey("Set-Cookie"), first.Headers.ContainsKey("Server")));

        // The same target: the first state is the connection's reused one, and stays pristine.
        await connection.SendAsync("GET /same HTTP/1.1\r\nHost: t\r\n\r\n");
        var second = await connection.ReadResponseAsync();
        Assert.Equal(204, second.Status);
        Assert.Equal(["Date", "Server"], second.HeaderList.Select(h => h.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_request_reads_its_own_query_cookies_form_and_trailers()
    {
        var seen = new List<HttpRequest>();
        await using var server = await TestServer.StartAsync(Guard, TestServer.Zone("/app", c => DescribeAsync(c, seen)));
        await using var connection = await server.ConnectAsync();

        var first = await AskAsync(connection, $"POST /app?a=1 HTTP/1.1\r\nHost: t\r\nCookie: a=1\r\nX-User: alice\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n");
        Assert.Equal("abc", first["body"]);
        Assert.Equal("X-Checksum", first["trailers"]);

        // What the first parsed on first use (query, cookies, form) is parsed again from the second.
        var second = await AskAsync(connection, $"POST /app?b=2 HTTP/1.1\r\nHost: t\r\nCookie: b=2\r\nX-User: bob\r\n"
            + $"Content-Type: {FormType}\r\nContent-Length: 3\r\n\r\nc=3");
        var third = await AskAsync(connection, $"POST /app?d=4 HTTP/1.1\r\nHost: t\r\nContent-Type: {FormType}\r\nContent-Length: 3\r\n\r\ne=5");
        Assert.Same(seen[0], seen[2]);
        Assert.Equal(("b=2", "b=2", "bob", "c=3", ""), (second["query"], second["cookies"], second["user"], second["form"], second["trailers"]));
        Assert.Equal(("d=4", "", "-", "e=5", "Host,Content-Type,Content-Length"), (third["query"], third["cookies"], third["user"], third["form"], third["headers"]));
    }

    [Fact]
    public async Task A_handler_that_kept_the_last_request_sees_the_next_one()
    {
        // The documented rule (HttpRequest's remarks): keeping the object past the response is a
        // mistake, and what it shows then is the connection's next request — never a mix of both.
        HttpRequest? kept = null;
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c =>
        {
            kept ??= c.Request;
            return ZoneResult.Respond(ZoneResponse.Text(c.Request.Path));
        }));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /first HTTP/1.1\r\nHost: t\r\nX-First: 1\r\n\r\n");
        Assert.Equal("/first", (await connection.ReadResponseAsync()).BodyText);
        await connection.SendAsync("GET /second HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("/second", (await connection.ReadResponseAsync()).BodyText);

        Assert.Equal("/second", kept!.Path);
        Assert.Null(kept.Headers["X-First"]);
    }

    [Fact]
    public async Task After_a_take_over_that_hands_the_connection_back_nothing_is_reused()
    {
        ZoneContext? takenContext = null;
        HttpRequest? taken = null, next = null;
        await using var server = await TestServer.StartAsync(
            TestServer.Zone("/once", c =>
            {
                takenContext = c;
                taken = c.Request;
                return ZoneResult.TakeOver(async t =>
                {
                    await t.Stream.WriteAsync("private-hello\n"u8.ToArray());
                    var one = new byte[1];
                    while (await t.Stream.ReadAsync(one) == 1 && one[0] != '\n') { }
                    return TakeOverEnd.ContinueHttp;
                });
            }),
            TestServer.Zone("/", c =>
            {
                next = c.Request;
                return ZoneResult.Respond(ZoneResponse.Text(c.Suffix));
            }));
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync("GET /once?x=1 HTTP/1.1\r\nHost: t\r\nX-Kept: 1\r\n\r\n");
        Assert.Equal("private-hello\n", await connection.ReadLineAsync());
        await connection.SendAsync("bye\nGET /next HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("/next", (await connection.ReadResponseAsync()).BodyText);

        // The take-over's handler may go on holding its objects: they still show its request.
        Assert.NotSame(taken, next);
        Assert.Equal(("/once", "1", "1"), (taken!.Path, taken.Query["x"], taken.Headers["X-Kept"]));
        Assert.Equal("/once", takenContext!.Path);
        Assert.Same(taken, takenContext.Request);
    }

    [Fact]
    public async Task A_request_waiting_on_one_connection_is_not_touched_by_another_connection()
    {
        var waiting = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", async c =>
        {
            if (c.Request.Path == "/wait")
            {
                waiting.SetResult();
                await release.Task;
            }
            return ZoneResult.Respond(ZoneResponse.Text($"{c.Request.Path} {c.Request.Headers["X-Who"]} {c.Suffix}"));
        }));
        await using var a = await server.ConnectAsync();
        await using var b = await server.ConnectAsync();
        await a.SendAsync("GET /wait HTTP/1.1\r\nHost: t\r\nX-Who: a\r\n\r\n");
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            await b.SendAsync($"GET /b{i} HTTP/1.1\r\nHost: t\r\nX-Who: b\r\n\r\n");
            Assert.Equal($"/b{i} b /b{i}", (await b.ReadResponseAsync()).BodyText);
        }
        release.SetResult();
        Assert.Equal("/wait a /wait", (await a.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Each_handler_of_a_request_sees_its_own_zone_suffix_and_file_path()
    {
        // The connection's one context is reset between handlers: what the first worked out for
        // its zone (Suffix, FsPath) is not what the second sees for its own.
        var outer = Directory.CreateTempSubdirectory("zones-reuse-outer-").FullName;
        var inner = Directory.CreateTempSubdirectory("zones-reuse-inner-").FullName;
        try
        {
            var firstSaw = "";
            await using var server = await TestServer.StartAsync(
                TestServer.Zone("/", c =>
                {
                    firstSaw = $"{c.Suffix} {c.FsPath}";
                    return ZoneResult.Pass;
                }, outer),
                TestServer.Zone("/site", c => ZoneResult.Respond(ZoneResponse.Text($"{c.Prefix} {c.Suffix} {c.FsPath}")), inner));
            await using var connection = await server.ConnectAsync();
            for (var i = 0; i < 2; i++)
            {
                await connection.SendAsync($"GET /site/page{i} HTTP/1.1\r\nHost: t\r\n\r\n");
                Assert.Equal($"/site /page{i} {Path.Combine(inner, $"page{i}")}", (await connection.ReadResponseAsync()).BodyText);
                Assert.Equal($"/site/page{i} {Path.Combine(outer, "site", $"page{i}")}", firstSaw);
            }
        }
        finally
        {
            Directory.Delete(outer, recursive: true);
            Directory.Delete(inner, recursive: true);
        }
    }

    [Fact]
    public async Task The_access_log_writes_each_request_line_though_the_request_was_reset_before_it_was_written()
    {
        // The log is written later, on another thread: it must have copied the line, not kept the request.
        var folder = Directory.CreateTempSubdirectory("zones-reuse-log-").FullName;
        try
        {
            var log = Path.Combine(folder, "access.log");
            await using (var server = await TestServer.StartAsync([TestServer.Zone("/", c => ZoneResult.Respond(ZoneResponse.Text("ok")))], o => o.AccessLog = log))
            {
                await using var connection = await server.ConnectAsync();
                await connection.SendAsync(string.Concat(Enumerable.Range(0, 200).Select(i => $"GET /r{i}?q={i} HTTP/1.1\r\nHost: t\r\n\r\n")));
                for (var i = 0; i < 200; i++) Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
            } // stopping the server writes out what is queued
            var lines = File.ReadAllLines(log);
            Assert.Equal(Enumerable.Range(0, 200).Select(i => $"\"GET /r{i}?q={i} HTTP/1.1\""), lines.Select(l => l.Split(' ')[3..6]).Select(f => string.Join(' ', f)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_header_list_grows_and_shrinks_with_the_heads_and_a_large_one_is_not_kept()
    {
        var seen = new List<HttpRequest>();
        var arrays = new List<int>();
        await using var server = await TestServer.StartAsync(TestServer.Zone("/", c =>
        {
            seen.Add(c.Request);
            arrays.Add(((Array)typeof(HttpHeaders).GetField("_items", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(c.Request.Headers)!).Length);
            return ZoneResult.Respond(ZoneResponse.Text(string.Join(",", c.Request.Headers.Select(h => h.Value))));
        }));
        await using var connection = await server.ConnectAsync();
        foreach (var count in new[] { 3, 40, 2, 5 })
        {
            var fields = string.Concat(Enumerable.Range(1, count - 1).Select(i => $"X-{i}: v{i}\r\n"));
            await connection.SendAsync($"GET / HTTP/1.1\r\nHost: t\r\n{fields}\r\n");
            Assert.Equal(string.Join(",", ["t", .. Enumerable.Range(1, count - 1).Select(i => $"v{i}")]), (await connection.ReadResponseAsync()).BodyText);
        }
        Assert.All(seen, r => Assert.Same(seen[0], r));
        // 3 fits; 40 needs a new array; after it, 2 gets a small one again (40 is too many to keep); 5 needs more than 2.
        Assert.Equal([3, 40, 2, 5], arrays);
    }

    [Fact]
    public async Task A_reset_request_reads_as_a_new_one_in_every_public_property()
    {
        // Every property, by reflection: one added later is checked without this test changing.
        var used = Parse("POST /a/b%20c?x=1&y=2 HTTP/1.1\r\nHost: one:81\r\nAccept: text/html\r\nAccept-Encoding: gzip\r\n"
            + $"Accept-Language: de\r\nCookie: s=1\r\nExpect: 100-continue\r\nContent-Type: {FormType}\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
        used.RemoteEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1234);
        used.LocalEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 80);
        used.IsHttps = true;
        used.ConnectionId = 7;
        used.Body = new MemoryStream("a=1"u8.ToArray());
        used.Trailers.Add("X-T", "1");
        Touch(used);
        Assert.Equal("1", (await used.ReadFormAsync())["a"]);
        await used.EndAsync();

        const string next = "GET /n HTTP/1.0\r\n\r\n";
        used.Reset(RequestHeadParser.Parse(Encoding.ASCII.GetBytes(next), null, used.Headers));
        var fresh = Parse(next);
        foreach (var property in typeof(HttpRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            Assert.True(Same(property.GetValue(fresh), property.GetValue(used)), $"{property.Name}: {property.GetValue(used)} after the reset, {property.GetValue(fresh)} when new");
        Assert.Same(Zones.RequestData.RequestForm.Empty, await used.ReadFormAsync()); // not the last request's form
    }

    [Fact]
    public void Every_field_of_the_request_and_the_context_is_one_their_Reset_knows()
    {
        // Reset sets each per-request field by name; a new field must be added there (and here).
        Assert.Equal(
            ["<Body>k__BackingField", "<ClientCertificate>k__BackingField", "<ConnectionId>k__BackingField", "<IsHttps>k__BackingField",
             "<LocalEndPoint>k__BackingField", "<RemoteEndPoint>k__BackingField", "_accept", "_acceptEncoding", "_acceptLanguage",
             "_cookies", "_disposables", "_form", "_head", "_query", "_trailers"],
            FieldNames(typeof(HttpRequest)));
        // Services, tokens and connection are the connection's, the same for every request.
        Assert.Equal(
            ["<RequestAborted>k__BackingField", "<ServerStopping>k__BackingField", "<Services>k__BackingField", "<State>k__BackingField",
             "<Zone>k__BackingField", "_connection", "_fsPath", "_fsPathDone", "_suffix"],
            FieldNames(typeof(ZoneContext)));
    }

    private static string[] FieldNames(Type type) =>
        [.. type.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name).Order(StringComparer.Ordinal)];

    private static HttpRequest Parse(string head) => HttpRequest.Parse(Encoding.ASCII.GetBytes(head));

    // Reads every lazily parsed property, so the reset has cached values to forget.
    private static void Touch(HttpRequest request)
    {
        foreach (var property in typeof(HttpRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            _ = property.GetValue(request);
    }

    private static bool Same(object? expected, object? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (string e, string a) => e == a,
        (IEnumerable e, IEnumerable a) => e.Cast<object?>().SequenceEqual(a.Cast<object?>()),
        _ => Equals(expected, actual),
    };
}
