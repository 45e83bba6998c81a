using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Zones.Tests.Infrastructure;
using Zones.Hosting;

namespace Zones.Tests.Aot;

/// <summary>
/// The native AOT build of Zones.Host (dotnet publish -p:PublishAot=true) must behave like the
/// JIT build: the same zone file served by both gives the same answers — templates with the
/// whole model, static files, listings, errors — and the WebSocket echo works. Publishing takes
/// about a minute, so the test runs when ZONES_AOT_TEST=1 or CI=true.
/// </summary>
[Collection(Zones.Tests.Packaging.PublishingCollection.Name)]
public sealed partial class NativeAotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-aot-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string ModelTemplate = """
        method={{ request.method }} path={{ request.path }} target={{ request.target }} qs={{ request.query_string }}
        protocol={{ request.protocol }} host={{ request.host }} remote={{ request.remote_address }}
        header={{ request.headers["X-Test"] }} q={{ request.query.q }} all={% for t in request.query_all.t %}[{{ t }}]{% endfor %}
        cookie={{ request.cookies.c }} form={{ request.form.f }} formall={% for g in request.form_all.g %}[{{ g }}]{% endfor %}
        files={{ request.files.size }} zone={{ zone.prefix }}|{{ zone.suffix }} site={{ options.Site }} year={{ now | date: "%Y" }}
        escaped={{ request.query.html }}
        {% assign n = 0 %}{% for i in (1..5) %}{% assign n = n | plus: i %}{% endfor %}sum={{ n }}
        """;

    // Publishing alone takes a minute or more on a loaded machine: more than the usual limit.
    [Fact(Timeout = 10 * 60_000)]
    public async Task The_native_build_answers_like_the_jit_build()
    {
        if (Environment.GetEnvironmentVariable("ZONES_AOT_TEST") != "1" && !Requires.InCI)
            Assert.Skip("publishing the native AOT build takes about a minute: set ZONES_AOT_TEST=1 to run it (CI=true does too)");
        Requires.Linux("the test publishes for linux-x64");
        Requires.Tool("clang", "native AOT links with it: apt-get install -y clang zlib1g-dev");
        var www = Directory.CreateDirectory(Path.Combine(_folder, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "model.html.liquid"), ModelTemplate);
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "<!doctype html><title>index</title>home");
        await File.WriteAllBytesAsync(Path.Combine(www, "data.bin"), Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray());
        Directory.CreateDirectory(Path.Combine(www, "sub"));
        await File.WriteAllTextAsync(Path.Combine(www, "sub", "a <b>.txt"), "x");
        using var certificates = new Zones.Tests.Tls.TestCertificates();
        var (certificate, key) = certificates.WritePem(certificates.Server(), "server");
        var zones = Path.Combine(_folder, "zones.json");
        await File.WriteAllTextAsync(zones, $$"""
            { "Logging": { "LogLevel": { "Default": "Warning", "Zones.Server": "Information" } },
              "Server": { "Tls": { "Certificate": { "Path": "{{certificate}}", "KeyPath": "{{key}}" },
                                   "Sni": { "other.test": { "Path": "{{certificate}}", "KeyPath": "{{key}}" } },
                                   "Hsts": { "MaxAge": "1.00:00:00" } } },
              "Zones": [
                { "Prefix": "/hello", "Handler": "hello" },
                { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
                { "Prefix": "/old", "Handler": "redirect", "Location": "/new", "Status": 308 },
                { "Prefix": "/", "Handler": "dirslash", "Root": "www" },
                { "Prefix": "/", "Handler": "indexfile", "Root": "www", "IndexFile": "index.html" },
                { "Prefix": "/", "Handler": "contenttype", "TypeTable": { ".bin": "application/x-test" } },
                { "Prefix": "/", "Handler": "staticfile", "Root": "www", "CacheControl": "no-cache" },
                { "Prefix": "/", "Handler": "templatefile", "Root": "www", "Values": { "Site": "aot" } },
                { "Prefix": "/", "Handler": "dirlist", "Root": "www" },
                { "Prefix": "/", "Handler": "notfound" } ] }
            """);

        var binary = await PublishAsync();
        using var native = Process.Start(new ProcessStartInfo(binary, ["--zones", zones, "--urls", "http://127.0.0.1:0;https://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var nativeUrls = await TestHost.ReadListeningUrlsAsync(native, 2);
            var nativeUrl = nativeUrls[0];
            var jit = await TestHost.StartAsync(["--zones", zones, "--urls", "http://127.0.0.1:0"],
                services => services.AddZoneHandler<Zones.Host.HelloHandler>("hello"));
            try
            {
                var jitUrl = TestHost.ServerOf(jit).Urls[0];
                foreach (var request in Requests())
                {
                    var fromJit = await SendAsync(jitUrl, request);
                    var fromNative = await SendAsync(nativeUrl, request);
                    Assert.True(fromJit == fromNative, $"JIT:\n{fromJit}\n---- native:\n{fromNative}");
                }
                var model = await SendAsync(nativeUrl, Requests().First());
                Assert.Contains("sum=15", model);
                Assert.Contains("site=aot", model);
                Assert.Contains("header=probe", model);
                Assert.Contains("escaped=&lt;b&gt;", model);

                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri(nativeUrl.Replace("http://", "ws://") + "/ws"), CancellationToken.None);
                await socket.SendAsync("native echo"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                var buffer = new byte[64];
                var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                Assert.Equal("native echo", Encoding.UTF8.GetString(buffer, 0, received.Count));

                // TLS, with its configuration (nested objects and a dictionary) bound in the native build too.
                using var tls = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => certificates.Trusts(c) } });
                using var secure = await tls.GetAsync(nativeUrls[1] + "/hello");
                Assert.Equal("Hello, World!", await secure.Content.ReadAsStringAsync());
                Assert.Equal("max-age=86400", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));
            }
            finally
            {
                await jit.StopAsync();
                jit.Dispose();
            }
        }
        finally
        {
            native.Kill(entireProcessTree: true);
            await native.WaitForExitAsync();
        }
        await AcmeStartsOnTheFallbackAsync(binary);
        await CommandsAnswerAsTheJitBuildsDoAsync(binary, zones);
    }

    /// <summary>
    /// The zones tool's commands, from the native binary: version; check — a good file (with
    /// the demo's own handler, which the program registers) and a broken one, whose problems are
    /// the lines the JIT build's check prints; and serve over a folder.
    /// </summary>
    private async Task CommandsAnswerAsTheJitBuildsDoAsync(string binary, string goodZones)
    {
        var (exit, output, _) = await RunAsync(binary, "version");
        Assert.Equal(0, exit);
        var version = typeof(ZonesHost).Assembly.GetName().Version!;
        Assert.StartsWith($"zones {version.Major}.{version.Minor}.{version.Build}", output);

        (exit, output, _) = await RunAsync(binary, "check", goodZones);
        Assert.True(exit == 0, output);
        Assert.Equal($"{goodZones}: ok, 10 zone(s)", output.Trim());

        var broken = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(broken, """
            { "Server": { "Limits": { "MaxConnections": 0 } },
              "Zones": [ { "Prefix": "/hello", "Handler": "hello" }, { "Prefix": "x", "Handler": "staticfile" }, { "Prefix": "/", "Handler": "nosuch" } ] }
            """);
        (exit, _, var error) = await RunAsync(binary, "check", broken);
        Assert.Equal(1, exit);
        using var jitOutput = new StringWriter();
        using var jitError = new StringWriter();
        Assert.Equal(1, await ZonesCommands.RunAsync(["check", broken], b => Zones.Host.DemoHandlers.AddDemoHandlers(b.Services), jitOutput, jitError));
        Assert.Equal(jitError.ToString(), error);
        Assert.Contains("zones: check: 4 problem(s)", error);

        // serve: the static chain over a folder, bound from memory in the native build too.
        var www = Path.Combine(_folder, "www");
        using var serving = Process.Start(new ProcessStartInfo(binary, ["serve", www, "--browse", "--listen", "127.0.0.1:0"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(await TestHost.ReadListeningUrlAsync(serving)) };
            Assert.Contains("home", await client.GetStringAsync("/"));
            Assert.Contains("a &lt;b&gt;.txt", await client.GetStringAsync("/sub/"));
            using var missing = await client.GetAsync("/missing");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        }
        finally
        {
            serving.Kill(entireProcessTree: true);
            await serving.WaitForExitAsync();
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string binary, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(binary, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Server:Tls:Acme binds in the native build (its JSON is source-generated): with the CA's
    /// directory unreachable, the server starts, serves the self-signed fallback for the ACME
    /// name, and logs why it has no certificate yet.
    /// </summary>
    private async Task AcmeStartsOnTheFallbackAsync(string binary)
    {
        using var unreachable = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        unreachable.Start();
        var port = ((System.Net.IPEndPoint)unreachable.LocalEndpoint).Port;
        unreachable.Stop(); // nothing listens there now
        var zones = Path.Combine(_folder, "acme.json");
        await File.WriteAllTextAsync(zones, $$"""
            { "Logging": { "LogLevel": { "Default": "Warning", "Zones.Server": "Information" } },
              "Server": { "Tls": { "Acme": { "Directory": "https://127.0.0.1:{{port}}/dir", "Domains": [ "aot.example.com" ],
                                             "AcceptTermsOfService": true, "CacheFolder": "acme-cache", "Challenges": [ "tls-alpn-01" ],
                                             "RetryDelay": "00:00:30" } } },
              "Zones": [ { "Prefix": "/", "Handler": "notfound" } ] }
            """);
        using var native = Process.Start(new ProcessStartInfo(binary, ["--zones", zones, "--urls", "https://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            string? url = null, failure = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((url is null || failure is null) && await native.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Now listening on: ", StringComparison.Ordinal)) url = line[(line.IndexOf("https://", StringComparison.Ordinal))..].Trim();
                if (line.Contains("ACME: could not obtain a certificate for aot.example.com", StringComparison.Ordinal)) failure = line.Trim();
            }
            Assert.NotNull(url);
            Assert.Matches($@"warn: Zones.Acme\[44\] ACME: could not obtain a certificate for aot\.example\.com from https://127\.0\.0\.1:{port}/dir: .*Connection refused.*; next attempt in 00:00:30$", failure);
            _ = native.StandardOutput.ReadToEndAsync();

            var tlsPort = new Uri(url!).Port;
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, tlsPort);
            await using var tls = new System.Net.Security.SslStream(new System.Net.Sockets.NetworkStream(socket));
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "aot.example.com",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            var served = tls.RemoteCertificate!;
            Assert.Equal("CN=aot.example.com", served.Subject);
            Assert.Equal(served.Subject, served.Issuer);
        }
        finally
        {
            native.Kill(entireProcessTree: true);
            await native.WaitForExitAsync();
        }
    }

    private static IEnumerable<HttpRequestMessage> Requests()
    {
        var model = new HttpRequestMessage(HttpMethod.Post, "/model.html?q=first&t=1&t=2&html=%3Cb%3E")
        {
            Content = new FormUrlEncodedContent([new("f", "field"), new("g", "x"), new("g", "y")]),
        };
        model.Headers.Add("X-Test", "probe");
        model.Headers.Add("Cookie", "c=cookie");
        yield return model;
        yield return new HttpRequestMessage(HttpMethod.Get, "/hello");
        yield return new HttpRequestMessage(HttpMethod.Get, "/");
        yield return new HttpRequestMessage(HttpMethod.Get, "/sub");
        yield return new HttpRequestMessage(HttpMethod.Get, "/sub/");
        yield return new HttpRequestMessage(HttpMethod.Get, "/data.bin");
        var range = new HttpRequestMessage(HttpMethod.Get, "/data.bin");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        yield return range;
        yield return new HttpRequestMessage(HttpMethod.Get, "/old/x");
        yield return new HttpRequestMessage(HttpMethod.Get, "/missing");
        yield return new HttpRequestMessage(HttpMethod.Get, "/model.html.liquid");
        yield return new HttpRequestMessage(HttpMethod.Delete, "/data.bin");
    }

    /// <summary>Status, the headers that do not vary between runs, and the body (the remote port and dates masked).</summary>
    private static async Task<string> SendAsync(string baseUrl, HttpRequestMessage template)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        using var request = new HttpRequestMessage(template.Method, template.RequestUri);
        foreach (var h in template.Headers) request.Headers.TryAddWithoutValidation(h.Key, h.Value);
        if (template.Content is { } content) request.Content = new ByteArrayContent(await content.ReadAsByteArrayAsync()) { Headers = { ContentType = content.Headers.ContentType } };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var headers = response.Content.Headers.Concat(response.Headers)
            .Where(h => h.Key is not ("Date" or "Last-Modified" or "ETag"))
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}").Order();
        var text = Encoding.UTF8.GetString(body);
        text = RemotePort().Replace(text, "127.0.0.1:PORT").Replace(baseUrl, "BASE");
        text = ListingTime().Replace(text, "TIME");
        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n\n{text}";
    }

    private async Task<string> PublishAsync()
    {
        var output = Path.Combine(_folder, "native");
        var project = Path.GetFullPath(Path.Combine(TestHost.RepositoryFile("zones.json"), "..", "Zones.Host", "Zones.Host.csproj"));
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(8)).Token);
        Assert.True(publish.ExitCode == 0, "dotnet publish -p:PublishAot=true failed:\n" + await log + await errors);
        return Path.Combine(output, "Zones.Host");
    }

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex RemotePort();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")]
    private static partial Regex ListingTime();
}
