using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zones.Handlers.Guards;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Guards;

/// <summary>basicauth through the real host: the challenge, right and wrong passwords, unknown users, bad headers, UTF-8 names, the user on the state and in the access log, timing, plain HTTP from the network.</summary>
public sealed class BasicAuthTests
{
    // PBKDF2 at 600,000 iterations costs a good fraction of a second: hash once for the class.
    internal static readonly string AnaHash = PasswordHash.Create("correct horse").ToString();
    internal static readonly string JoseHash = PasswordHash.Create("pässwörd").ToString();

    private static string Zones(string extra = "") => $$"""
        { "Prefix": "/admin", "Handler": "basicauth", "Realm": "Admin", "Users": { "ana": "{{AnaHash}}", "josé": "{{JoseHash}}" }{{extra}} },
        { "Prefix": "/", "Handler": "whoami" }
        """;

    internal static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_the_realm_and_utf8_challenge_and_other_zones_are_open()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var refused = await client.GetAsync("/admin/page");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Basic realm=\"Admin\", charset=\"UTF-8\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal("(nobody)", await client.GetStringAsync("/elsewhere"));
        using var otherScheme = await GetAsync(client, "/admin", new AuthenticationHeaderValue("Bearer", "abc"));
        Assert.Equal(HttpStatusCode.Unauthorized, otherScheme.StatusCode);
    }

    [Fact]
    public async Task The_right_password_passes_with_the_user_on_the_state_and_in_the_access_log()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var response = await GetAsync(client, "/admin/page", Basic("ana", "correct horse"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ana", await response.Content.ReadAsStringAsync());
        var line = await host.Logs.WaitForAsync(e => e.Category == "Zones.Access" && e.Message.Contains("/admin/page"));
        Assert.Matches(@"^127\.0\.0\.1:\d+ ana ""GET /admin/page HTTP/1\.1"" 200 3 ", line.Message);
    }

    [Fact]
    public async Task A_template_after_the_guard_sees_the_user_as_request_user()
    {
        await using var host = await GuardHost.StartAsync($$"""
            { "Prefix": "/", "Handler": "basicauth", "Users": { "ana": "{{AnaHash}}" } },
            { "Prefix": "/", "Handler": "templatefile", "Root": "www" }
            """);
        using var client = host.Client();
        using var response = await GetAsync(client, "/me.html", Basic("ana", "correct horse"));
        Assert.Equal("user=ana", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("ana", "wrong horse")]
    [InlineData("ana", "")]
    [InlineData("Ana", "correct horse")] // user names are case-sensitive
    [InlineData("bob", "correct horse")] // unknown user
    public async Task A_wrong_password_or_an_unknown_user_gets_401(string user, string password)
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var response = await GetAsync(client, "/admin", Basic(user, password));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("realm=\"Admin\"", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bm9jb2xvbg==")]              // "nocolon"
    [InlineData("Basic /w==")]                      // 0xFF: not UTF-8
    [InlineData("Basic YW5hOgFjb250cm9s")]          // "ana:\x01control"
    [InlineData("basic YW5hOmNvcnJlY3QgaG9yc2U=\r\nAuthorization: Basic YW5hOmNvcnJlY3QgaG9yc2U=")] // sent twice
    public async Task A_malformed_authorization_header_gets_400_and_no_error_log(string header)
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, host.Port);
        await using var raw = new RawConnection(socket);
        await raw.SendAsync($"GET /admin HTTP/1.1\r\nHost: t\r\nAuthorization: {header}\r\n\r\n");
        var response = await raw.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.Contains("Basic base64(user:password)", response.BodyText);
        // The connection stays usable: a bad credential is the client's mistake, not a framing error.
        await raw.SendAsync("GET /other HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(200, (await raw.ReadResponseAsync()).Status);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_lower_case_scheme_is_accepted_as_rfc_9110_says()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var response = await GetAsync(client, "/admin", new AuthenticationHeaderValue("basic", Basic("ana", "correct horse").Parameter));
        Assert.Equal("ana", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Utf8_user_names_and_passwords_work()
    {
        await using var host = await GuardHost.StartAsync(Zones());
        using var client = host.Client();
        using var composed = await GetAsync(client, "/admin", Basic("josé", "pässwörd"));
        Assert.Equal("josé", await composed.Content.ReadAsStringAsync());
        // Latin-1 bytes of the same name (what a client that ignores charset="UTF-8" sends) are not UTF-8: 400.
        using var latin1 = new HttpRequestMessage(HttpMethod.Get, "/admin");
        latin1.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.Latin1.GetBytes("josé:pässwörd")));
        using var refused = await client.SendAsync(latin1);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var line = await host.Logs.WaitForAsync(e => e.Category == "Zones.Access" && e.Message.Contains(" josé "));
        Assert.Contains("\"GET /admin HTTP/1.1\" 200", line.Message);
    }

    [Fact]
    public async Task A_keep_alive_client_pays_for_pbkdf2_once_and_wrong_passwords_are_never_remembered()
    {
        var handler = Handler(out _);
        for (var i = 0; i < 3; i++) Assert.Equal(ZoneResultKind.Next, (await handler.HandleAsync(Context(handler, "ana", "correct horse"))).Kind);
        Assert.Equal(1, handler.RememberedCount);
        Assert.Equal(ZoneResultKind.Respond, (await handler.HandleAsync(Context(handler, "ana", "wrong"))).Kind);
        Assert.Equal(ZoneResultKind.Respond, (await handler.HandleAsync(Context(handler, "nobody", "x"))).Kind);
        Assert.Equal(1, handler.RememberedCount);
    }

    [Fact]
    public void The_cache_of_verified_credentials_is_bounded()
    {
        var cache = new VerifiedCredentials(capacity: 100);
        for (var i = 0; i < 10_000; i++) cache.Add(new BasicCredentials($"user{i}", "pw"));
        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet(new BasicCredentials("user9999", "pw"), out var user));
        Assert.Equal("user9999", user);
        Assert.False(cache.TryGet(new BasicCredentials("user9999", "other"), out _));
    }

    [Fact]
    public void Verified_credentials_tell_apart_where_the_colon_falls_and_long_passwords_too()
    {
        var cache = new VerifiedCredentials();
        var longPassword = new string('é', 400); // 800 bytes of UTF-8: past the stack buffer
        cache.Add(new BasicCredentials("a", "b:c"));
        cache.Add(new BasicCredentials("ana", longPassword));
        Assert.False(cache.TryGet(new BasicCredentials("a:b", "c"), out _));
        Assert.True(cache.TryGet(new BasicCredentials("ana", longPassword), out var user));
        Assert.Equal("ana", user);
        Assert.False(cache.TryGet(new BasicCredentials("ana", longPassword[..^1] + "e"), out _));
    }

    [Fact]
    public async Task An_unknown_user_costs_what_a_known_user_with_a_wrong_password_costs()
    {
        // Medians of interleaved tries, so a busy machine slows both alike. Without the
        // unmatchable hash an unknown user would answer hundreds of times faster.
        var handler = Handler(out _);
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            known.Add(await TimeAsync(handler, "ana", $"wrong{i}"));
            unknown.Add(await TimeAsync(handler, $"nobody{i}", $"wrong{i}"));
        }
        var ratio = Median(unknown) / Median(known);
        Assert.True(ratio is > 0.5 and < 2, $"unknown/known median ratio {ratio:0.00} (known {Median(known):0.0} ms, unknown {Median(unknown):0.0} ms)");
    }

    [Fact]
    public async Task Plain_http_from_another_machine_is_refused_with_one_warning_unless_allow_insecure()
    {
        var address = GuardHost.NonLoopbackAddress();
        await using var host = await GuardHost.StartAsync(Zones(), urls: "http://0.0.0.0:0");
        using var remote = host.Client(new Uri($"http://{address}:{host.Port}/"));
        for (var i = 0; i < 2; i++)
        {
            using var refused = await GetAsync(remote, "/admin", Basic("ana", "correct horse"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("HTTPS only", await refused.Content.ReadAsStringAsync());
        }
        var warnings = host.Logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("Zones[0] (Prefix \"/admin\", Handler \"basicauth\")", warning.Message);
        Assert.Contains("AllowInsecure", warning.Message);
        // The same listener reached over loopback never left the machine: the password is asked for.
        using var local = host.Client(new Uri($"http://127.0.0.1:{host.Port}/"));
        using var asked = await GetAsync(local, "/admin", Basic("ana", "correct horse"));
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);

        await using var insecure = await GuardHost.StartAsync(Zones(", \"AllowInsecure\": true"), urls: "http://0.0.0.0:0");
        using var allowed = insecure.Client(new Uri($"http://{address}:{insecure.Port}/"));
        using var ok = await GetAsync(allowed, "/admin", Basic("ana", "correct horse"));
        Assert.Equal("ana", await ok.Content.ReadAsStringAsync());
    }

    internal static BasicAuthHandler Handler(out BasicAuthOptions options)
    {
        options = new BasicAuthOptions { Users = { ["ana"] = AnaHash } };
        return new BasicAuthHandler(options, new ZoneInfo(0, "/", "basicauth", null, "zones.json"), NullLogger<BasicAuthHandler>.Instance);
    }

    private static ZoneContext Context(IZoneHandler handler, string user, string password)
    {
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var request = HttpRequest.Parse(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: t\r\nAuthorization: Basic {credentials}\r\n\r\n"));
        request.LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 80);
        return new ZoneContext(new ZoneState(request), new Zone("/", handler));
    }

    private static async Task<double> TimeAsync(IZoneHandler handler, string user, string password)
    {
        var context = Context(handler, user, password);
        var started = Stopwatch.GetTimestamp();
        var result = await handler.HandleAsync(context);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal(401, result.Response!.Status);
        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
