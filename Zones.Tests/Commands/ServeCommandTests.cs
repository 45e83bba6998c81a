using System.Net;
using Microsoft.Extensions.Hosting;
using Zones.Hosting.Commands;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Commands;

/// <summary>zones serve: the static chain over a folder, without a zones.json, on a real listener.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("zones-serve-").FullName;

    public ServeCommandTests()
    {
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "hello from the folder");
        File.WriteAllText(Path.Combine(_root, "page.html.liquid"), "sum={{ 1 | plus: 2 }}");
        Directory.CreateDirectory(Path.Combine(_root, "docs"));
        File.WriteAllText(Path.Combine(_root, "docs", "guide.txt"), "guide");
        Directory.CreateDirectory(Path.Combine(_root, "site"));
        File.WriteAllText(Path.Combine(_root, "site", "index.html"), "<!doctype html><title>site</title>index page");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>zones serve ARGS --listen 127.0.0.1:0, started; disposing it stops the server.</summary>
    private sealed class Served(IHost host) : IAsyncDisposable
    {
        public HttpClient Client { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(TestHost.ServerOf(host).Urls[0]),
        };

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await host.StopAsync();
            host.Dispose();
        }
    }

    private static async Task<Served> ServeAsync(params string[] args)
    {
        var host = ServeCommand.CreateBuilder(ServeSettings.Parse([.. args, "--listen", "127.0.0.1:0"]), configure: null).Build();
        await host.StartAsync();
        return new Served(host);
    }

    [Fact]
    public async Task A_folder_is_served_with_files_index_pages_slashes_and_404_and_no_listing_without_browse()
    {
        await using var served = await ServeAsync(_root);
        var client = served.Client;
        Assert.Equal("hello from the folder", await client.GetStringAsync("/hello.txt"));
        using var file = await client.GetAsync("/hello.txt");
        Assert.Equal("text/plain; charset=utf-8", file.Content.Headers.ContentType?.ToString());
        Assert.Contains("index page", await client.GetStringAsync("/site/"));
        using var slash = await client.GetAsync("/site");
        Assert.Equal(HttpStatusCode.MovedPermanently, slash.StatusCode);
        Assert.Equal("/site/", slash.Headers.Location?.OriginalString);
        using var missing = await client.GetAsync("/missing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // No --browse: a folder without an index page is not listed.
        using var folder = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.NotFound, folder.StatusCode);
        Assert.DoesNotContain("guide.txt", await folder.Content.ReadAsStringAsync());
        // No --templates: a template is a file like any other, not rendered.
        using var template = await client.GetAsync("/page.html");
        Assert.Equal(HttpStatusCode.NotFound, template.StatusCode);
    }

    [Fact]
    public async Task Browse_lists_folders_and_templates_renders_liquid_pages()
    {
        await using var served = await ServeAsync(_root, "--browse", "--templates");
        var client = served.Client;
        using var listing = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Contains("guide.txt", await listing.Content.ReadAsStringAsync());
        Assert.Equal("sum=3", await client.GetStringAsync("/page.html"));
        using var missing = await client.GetAsync("/docs/missing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Static_files_are_compressed_for_a_client_that_accepts_it()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "big.txt"), string.Concat(Enumerable.Repeat("compress me please ", 2000)));
        await using var served = await ServeAsync(_root);
        var client = served.Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/big.txt") { Headers = { { "Accept-Encoding", "gzip" } } };
        using var response = await client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < 38_000 / 4);
    }

    [Fact]
    public async Task A_file_created_as_zones_json_in_the_root_is_served_as_a_file_not_loaded_as_the_zone_table()
    {
        await using var served = await ServeAsync(_root);
        var client = served.Client;
        await File.WriteAllTextAsync(Path.Combine(_root, "zones.json"), """{ "Zones": [ { "Prefix": "/", "Handler": "forbidden" } ] }""");
        await Task.Delay(600); // longer than the zone file watcher's debounce, were it watching
        Assert.Equal("hello from the folder", await client.GetStringAsync("/hello.txt"));
    }

    [Theory]
    [InlineData("--listen", "localhost:x", "--listen \"http://localhost:x\"")]
    [InlineData("--listen", "https://127.0.0.1:8443", "serves http only")]
    [InlineData("--bogus", null, "unknown option \"--bogus\"")]
    [InlineData("/no/such/folder", null, "ROOT \"/no/such/folder\" is not a folder")]
    [InlineData("--zones", "zones.json", null)]
    public void Bad_arguments_are_usage_errors_that_say_what_is_wrong(string first, string? second, string? expected)
    {
        string[] args = second is null ? [first] : [first, second];
        if (expected is null) args = [.. args, "--browse"]; // --zones with --browse
        var e = Assert.Throws<CommandUsageException>(() => ServeCommand.CreateBuilder(ServeSettings.Parse(args), null));
        Assert.Contains(expected ?? "--zones FILE serves that file's zones", e.Message);
    }
}
