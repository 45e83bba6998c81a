using NSubstitute;
using Zones.Pipeline;

namespace Zones.Tests.Core;

/// <summary>Wibble's zone semantics, with substitute handlers and no sockets.</summary>
public sealed class ZonePipelineTests
{
    private static HttpRequest Request(string path) =>
        HttpRequest.Parse(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n"));

    private static IZoneHandler Handler(Func<ZoneContext, ZoneResult> answer)
    {
        var handler = Substitute.For<IZoneHandler>();
        handler.HandleAsync(Arg.Any<ZoneContext>()).Returns(call => ValueTask.FromResult(answer(call.Arg<ZoneContext>())));
        return handler;
    }

    private static ZoneResult Respond(string text) => ZoneResult.Respond(ZoneResponse.Text(text));

    private static async Task<string> Run(string path, params Zone[] zones)
    {
        var (result, _) = await ZonePipeline.RunAsync(new ZoneTable(zones), new ZoneState(Request(path)));
        return result.Response is { Body: TextBody text } response ? $"{response.Status}:{text.Text}" : result.Kind.ToString();
    }

    [Fact]
    public async Task Zones_run_in_order_and_pass_goes_on()
    {
        var first = Handler(_ => ZoneResult.Pass);
        var second = Handler(_ => Respond("second"));
        var third = Handler(_ => Respond("third"));
        Assert.Equal("200:second", await Run("/a", new Zone("/", first), new Zone("/", second), new Zone("/", third)));
        Received.InOrder(() =>
        {
            first.HandleAsync(Arg.Any<ZoneContext>());
            second.HandleAsync(Arg.Any<ZoneContext>());
        });
        await third.DidNotReceive().HandleAsync(Arg.Any<ZoneContext>());
    }

    [Theory]
    [InlineData("/ws", "/ws", true)]
    [InlineData("/ws", "/ws/x", true)]
    [InlineData("/ws", "/wsx", false)]
    [InlineData("/ws/", "/ws/x", true)]
    [InlineData("/ws/", "/ws", true)]
    [InlineData("/", "/anything/at/all", true)]
    [InlineData("/a/b", "/a", false)]
    public void A_zone_holds_its_prefix_and_what_continues_with_a_slash(string prefix, string path, bool matches) =>
        Assert.Equal(matches, new Zone(prefix, Substitute.For<IZoneHandler>()).Matches(path));

    [Fact]
    public async Task A_handler_outside_its_zone_is_not_called()
    {
        var ws = Handler(_ => Respond("ws"));
        var fallback = Handler(_ => Respond("fallback"));
        Assert.Equal("200:fallback", await Run("/wsx", new Zone("/ws", ws), new Zone("/", fallback)));
        await ws.DidNotReceive().HandleAsync(Arg.Any<ZoneContext>());
    }

    [Fact]
    public async Task Prefix_suffix_and_fspath_describe_the_path_within_the_zone()
    {
        ZoneContext? seen = null;
        var root = Path.GetTempPath();
        var handler = Handler(c => { seen = c; return Respond("x"); });
        await Run("/static/css/site.css", new Zone("/static", handler, root));
        Assert.Equal("/static", seen!.Prefix);
        Assert.Equal("/css/site.css", seen.Suffix);
        Assert.Equal(Path.Combine(Path.GetFullPath(root), "css", "site.css"), seen.FsPath);
    }

    [Fact]
    public async Task Next_with_alternatives_runs_later_handlers_over_each_in_order()
    {
        // Wibble's indexfile: "/dir/" becomes "/dir/index.html" and "/dir/"; the static handler
        // serves the first if it exists, the listing takes the second otherwise.
        var index = Handler(c => ZoneResult.Next(c.State with { Path = c.Path + "index.html" }, c.State));
        var seenPaths = new List<string>();
        var staticFile = Handler(c => { seenPaths.Add(c.Path); return ZoneResult.Pass; });
        var listing = Handler(c => c.Path.EndsWith('/') ? Respond("listing of " + c.Path) : ZoneResult.Pass);
        Assert.Equal("200:listing of /dir/", await Run("/dir/", new Zone("/", index), new Zone("/", staticFile), new Zone("/", listing)));
        Assert.Equal(["/dir/index.html", "/dir/"], seenPaths);
    }

    [Fact]
    public async Task The_first_alternative_that_responds_wins()
    {
        var fork = Handler(c => ZoneResult.Next(c.State with { Path = "/first" }, c.State with { Path = "/second" }));
        var answer = Handler(c => Respond(c.Path));
        Assert.Equal("200:/first", await Run("/x", new Zone("/", fork), new Zone("/", answer)));
    }

    [Fact]
    public async Task Next_with_no_states_drops_the_request_and_ends_in_501()
    {
        var drop = Handler(_ => ZoneResult.Next());
        var never = Handler(_ => Respond("never"));
        Assert.Equal("501:501 Not Implemented\nNo zone handler answered this request.\n", await Run("/x", new Zone("/", drop), new Zone("/", never)));
        await never.DidNotReceive().HandleAsync(Arg.Any<ZoneContext>());
    }

    [Fact]
    public async Task A_rewritten_path_is_matched_against_later_zones()
    {
        var rewrite = Handler(c => ZoneResult.Next(c.State with { Path = "/api/v2" + c.Suffix }));
        var v2 = Handler(c => Respond("v2 " + c.Suffix));
        Assert.Equal("200:v2 /users", await Run("/v1/users", new Zone("/v1", rewrite), new Zone("/api/v2", v2)));
    }

    [Fact]
    public async Task TakeOver_ends_the_walk()
    {
        var takeOver = Handler(_ => ZoneResult.TakeOver(_ => Task.CompletedTask));
        var later = Handler(_ => Respond("later"));
        Assert.Equal("TakeOver", await Run("/x", new Zone("/", takeOver), new Zone("/", later)));
        await later.DidNotReceive().HandleAsync(Arg.Any<ZoneContext>());
    }

    [Fact]
    public async Task Fspath_refuses_a_rewritten_path_that_would_leave_the_root()
    {
        ZoneContext? seen = null;
        var rewrite = Handler(c => ZoneResult.Next(c.State with { Path = "/files/../../etc/passwd" }));
        var look = Handler(c => { seen = c; return Respond("x"); });
        await Run("/files/a", new Zone("/", rewrite), new Zone("/files", look, Path.GetTempPath()));
        Assert.Null(seen!.FsPath);
    }
}
