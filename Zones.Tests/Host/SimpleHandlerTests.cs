using System.Net;
using System.Net.Sockets;
using System.Text;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Host;

/// <summary>Wibble's small handlers through the real program: forbidden, redirect, vars.</summary>
public sealed class SimpleHandlerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-simple-").FullName;
    private Microsoft.Extensions.Hosting.IHost? _host;
    private Uri _base = null!;

    public async ValueTask InitializeAsync()
    {
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, """
            { "Zones": [
                { "Prefix": "/private", "Handler": "forbidden" },
                { "Prefix": "/old", "Handler": "redirect", "Location": "/new" },
                { "Prefix": "/gone", "Handler": "redirect", "Location": "https://example.org/x", "Status": 307 },
                { "Prefix": "/vars", "Handler": "vars" },
                { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        _host = await TestHost.StartAsync(["--zones", zones, "--urls", "http://127.0.0.1:0"]);
        _base = new Uri(TestHost.ServerOf(_host).Urls[0] + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _base };

    [Theory]
    [InlineData("/private", HttpStatusCode.Forbidden)]
    [InlineData("/private/", HttpStatusCode.Forbidden)]
    [InlineData("/private/secret.txt", HttpStatusCode.Forbidden)]
    [InlineData("/privateer", HttpStatusCode.NotFound)] // not inside the zone
    public async Task Forbidden_answers_403_for_its_whole_zone_and_nothing_else(string path, HttpStatusCode expected)
    {
        using var client = Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Redirect_sends_301_to_its_location_by_default_and_the_configured_status_otherwise()
    {
        using var client = Client();
        using var moved = await client.GetAsync("/old/page?x=1");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/new", moved.Headers.Location!.OriginalString);
        using var temporary = await client.PostAsync("/gone", new StringContent("body"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, temporary.StatusCode);
        Assert.Equal("https://example.org/x", temporary.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Vars_escapes_every_value_a_client_controls()
    {
        // Raw, so the hostile target and header reach the server exactly as written.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _base.Port);
        await using var raw = new RawConnection(socket);
        await raw.SendAsync("GET /vars/%3Cscript%3Ealert(1)%3C/script%3E?q=%3Csvg/onload=alert(2)%3E HTTP/1.1\r\n" +
                            "Host: x\r\nX-Evil: <img src=x onerror=alert(3)>\r\nX-Quoted: \"quoted\" & <b>more</b>\r\nConnection: close\r\n\r\n");
        var response = await raw.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        var html = Encoding.UTF8.GetString(response.Body);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(3)&gt;", html);
        Assert.Contains("&quot;quoted&quot; &amp; &lt;b&gt;more&lt;/b&gt;", html);
    }
}
