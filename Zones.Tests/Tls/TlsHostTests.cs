using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Options;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Tls;

/// <summary>
/// The real program over HTTPS, configured by zones.json the way a user writes it (paths
/// relative to the file): the built-in handlers work unchanged, and bad TLS configuration stops
/// the start with one message naming the file, the setting and the fix.
/// </summary>
public sealed class TlsHostTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    /// <summary>Writes zones.json beside cert.pem/key.pem (relative paths) with the given Server:Tls and Zones, and starts the program.</summary>
    private async Task<Microsoft.Extensions.Hosting.IHost> StartAsync(string tls, string zones, string urls = "\"https://127.0.0.1:0\", \"http://127.0.0.1:0\"")
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "site");
        var folder = Path.GetDirectoryName(certificate)!;
        Directory.CreateDirectory(Path.Combine(folder, "www"));
        File.WriteAllText(Path.Combine(folder, "www", "index.html"), "<h1>over TLS</h1>");
        var path = Path.Combine(folder, "zones.json");
        File.WriteAllText(path, $$"""
            { "Server": { "Urls": [ {{urls}} ],
                          "Tls": { "Certificate": { "Path": "cert.pem", "KeyPath": "key.pem" } {{tls}} } },
              "Zones": [ {{zones}} ] }
            """);
        return await TestHost.StartAsync(["--zones", path]);
    }

    private static Uri Secure(Microsoft.Extensions.Hosting.IHost host) => new(TestHost.ServerOf(host).Urls.First(u => u.StartsWith("https:", StringComparison.Ordinal)));

    private static Uri Plain(Microsoft.Extensions.Hosting.IHost host) => new(TestHost.ServerOf(host).Urls.First(u => u.StartsWith("http:", StringComparison.Ordinal)));

    private HttpClient Client(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, c, _, _) => _certificates.Trusts(c),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        },
    }) { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Static_files_ranges_and_templates_work_over_tls_with_paths_relative_to_the_zone_file()
    {
        using var host = await StartAsync("", """
            { "Prefix": "/", "Handler": "indexfile", "Root": "www" },
            { "Prefix": "/", "Handler": "staticfile", "Root": "www" },
            { "Prefix": "/", "Handler": "notfound" }
            """);
        using var client = Client();
        Assert.Equal("<h1>over TLS</h1>", await client.GetStringAsync(new Uri(Secure(host), "/")));
        using var range = new HttpRequestMessage(HttpMethod.Get, new Uri(Secure(host), "/index.html"));
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(4, 6);
        using var partial = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("ove", await partial.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_five_gibibyte_sparse_file_range_is_served_over_tls()
    {
        using var host = await StartAsync("", """{ "Prefix": "/", "Handler": "staticfile", "Root": "www" }""");
        var root = Path.Combine(Path.GetDirectoryName(TestHost.ServerOf(host).Options.Tls.Certificate!.Path)!, "www");
        var path = Path.Combine(root, "sparse.bin");
        const long Size = 5L * 1024 * 1024 * 1024;
        using (var file = new FileStream(path, FileMode.Create)) { file.SetLength(Size); file.Seek(Size - 4, SeekOrigin.Begin); file.Write("tail"u8); }
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Secure(host), "/sparse.bin"));
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(Size - 1024 * 1024, null);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(1024 * 1024, body.Length);
        Assert.Equal("tail", Encoding.ASCII.GetString(body, body.Length - 4, 4));
        Assert.Equal($"bytes {Size - 1024 * 1024}-{Size - 1}/{Size}", response.Content.Headers.ContentRange!.ToString());
        File.Delete(path);
    }

    [Fact]
    public async Task A_websocket_over_wss_echoes_with_permessage_deflate()
    {
        using var host = await StartAsync("", """{ "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo", "Compression": true }""");
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, c, _, _) => _certificates.Trusts(c);
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(Secure(host)) { Scheme = "wss", Path = "/ws" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None);
        Assert.StartsWith("permessage-deflate", Assert.Single(socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"]));
        var message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("over wss ", 500)));
        await socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[message.Length + 16];
        var received = 0;
        ValueWebSocketReceiveResult result;
        do { result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None); received += result.Count; } while (!result.EndOfMessage);
        Assert.Equal(message, buffer[..received]);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Server_sent_events_stream_over_tls()
    {
        using var host = await StartAsync("", """
            { "Prefix": "/events", "Handler": "eventstream", "Feed": "news" },
            { "Prefix": "/feeds", "Handler": "publish" }
            """);
        using var client = Client();
        using var stream = await client.GetStreamAsync(new Uri(Secure(host), "/events"));
        using var reader = new StreamReader(stream);
        Assert.Equal("retry: 3000", await reader.ReadLineAsync());
        using var published = await client.PostAsync(new Uri(Secure(host), "/feeds/news"), new StringContent("hello over tls"));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line && line != "data: hello over tls") lines.Add(line);
        Assert.Single(lines, l => l.StartsWith("id: ", StringComparison.Ordinal) && l.EndsWith(":1", StringComparison.Ordinal)); // EPOCH:OFFSET, the first event
    }

    [Fact]
    public async Task Httpsredirect_sends_plain_requests_to_https_with_the_query_and_leaves_https_alone()
    {
        using var host = await StartAsync("", $$"""
            { "Prefix": "/", "Handler": "httpsredirect", "Port": 8443 },
            { "Prefix": "/", "Handler": "vars" }
            """);
        using var client = Client();
        using var plain = await client.GetAsync(new Uri(Plain(host), "/docs/a?b=c&d"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal("https://127.0.0.1:8443/docs/a?b=c&d", plain.Headers.Location!.ToString());
        using var secure = await client.GetAsync(new Uri(Secure(host), "/docs/a"));
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Contains("<th>https</th><td>yes</td>", await secure.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mutual_tls_required_refuses_no_certificate_and_a_foreign_one_and_shows_the_right_ones_subject()
    {
        File.WriteAllText(Path.Combine(_certificates.Folder, "clients.pem"), _certificates.Authority.ExportCertificatePem());
        using var host = await StartAsync($$""", "ClientCertificate": "Require", "ClientCertificateAuthority": "{{Path.Combine(_certificates.Folder, "clients.pem")}}" """,
            """{ "Prefix": "/", "Handler": "vars" }""");
        var url = Secure(host);

        using (var none = Client()) await Assert.ThrowsAnyAsync<HttpRequestException>(() => none.GetStringAsync(url));
        using var stranger = new TestCertificates("Someone Else's CA");
        using (var foreign = Client(stranger.Client("intruder"))) await Assert.ThrowsAnyAsync<HttpRequestException>(() => foreign.GetStringAsync(url));
        using var ours = Client(_certificates.Client("ana"));
        var vars = await ours.GetStringAsync(url);
        Assert.Contains("<th>client certificate</th><td>CN=ana</td>", vars);
    }

    [Fact]
    public async Task Mutual_tls_allowed_serves_clients_without_a_certificate_and_checks_those_with_one()
    {
        File.WriteAllText(Path.Combine(_certificates.Folder, "clients.pem"), _certificates.Authority.ExportCertificatePem());
        using var host = await StartAsync($$""", "ClientCertificate": "Allow", "ClientCertificateAuthority": "{{Path.Combine(_certificates.Folder, "clients.pem")}}" """,
            """{ "Prefix": "/", "Handler": "vars" }""");
        using var none = Client();
        Assert.Contains("<th>client certificate</th><td></td>", await none.GetStringAsync(Secure(host)));
        using var stranger = new TestCertificates("Someone Else's CA");
        using var foreign = Client(stranger.Client("intruder"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => foreign.GetStringAsync(Secure(host)));
    }

    [Theory]
    [InlineData("""{ "Path": "missing.pem", "KeyPath": "key.pem" }""", "missing.pem does not exist; fix the path")]
    [InlineData("""{ "Path": "cert.pem", "KeyPath": "other/key.pem" }""", "the key must be the certificate's own")]
    [InlineData("""{ "Path": "site.pfx", "Password": "wrong" }""", "check \"Password\"")]
    [InlineData("""{ "Path": "old/cert.pem", "KeyPath": "old/key.pem" }""", "expired on")]
    public async Task A_bad_certificate_stops_the_start_with_the_file_the_setting_and_the_fix(string certificate, string expected)
    {
        var (cert, _) = _certificates.WritePem(_certificates.Server(), "site");
        var folder = Path.GetDirectoryName(cert)!;
        _ = _certificates.WritePem(_certificates.Server(), Path.Combine("site", "other"));
        _ = _certificates.WritePem(_certificates.Server(notAfter: DateTimeOffset.UtcNow.AddMinutes(-5)), Path.Combine("site", "old"));
        File.Copy(_certificates.WritePfx(_certificates.Server(), "site-pfx", "right"), Path.Combine(folder, "site.pfx"));
        var path = Path.Combine(folder, "zones.json");
        File.WriteAllText(path, $$"""
            { "Server": { "Urls": [ "https://127.0.0.1:0" ], "Tls": { "Certificate": {{certificate}} } },
              "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(["--zones", path]));
        var failure = Assert.Single(e.Failures);
        Assert.StartsWith(path + ": Server:Tls:Certificate: ", failure);
        Assert.Contains(expected, failure);
    }

    [Fact]
    public async Task An_https_url_without_a_certificate_stops_the_start_saying_what_to_add()
    {
        var folder = Directory.CreateTempSubdirectory("zones-tls-").FullName;
        var path = Path.Combine(folder, "zones.json");
        File.WriteAllText(path, """{ "Server": { "Urls": [ "https://127.0.0.1:0" ] }, "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }""");
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(["--zones", path]));
        Assert.Contains(e.Failures, f => f.Contains("https://127.0.0.1:0 needs a certificate") && f.Contains("\"Certificate\": { \"Path\": \"cert.pem\""));
        Directory.Delete(folder, true);
    }
}
