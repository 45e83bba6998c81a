using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Zones.Tests.Infrastructure;
using Zones.Server;

namespace Zones.Tests.Tls;

/// <summary>
/// When the start warms OpenSSL up on a thread of its own: only when a listener will be https,
/// judged by the URL list that wins as ZonesHost composes it (--urls over Server:Urls) and by
/// Server:Endpoints — a plain-http server must not load OpenSSL at all.
/// </summary>
public sealed class OpenSslWarmupTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    [Fact]
    public void Plain_http_listeners_do_not_warm_up() =>
        Assert.False(OpenSslWarmup.IsWanted(Config(("Server:Urls:0", "http://127.0.0.1:8080"), ("Server:Urls:1", "http://[::1]:8080"))));

    [Fact]
    public void No_listeners_configured_do_not_warm_up() => Assert.False(OpenSslWarmup.IsWanted(Config()));

    [Theory]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("HTTPS://0.0.0.0:443")]
    [InlineData("  https://localhost:9443")]
    public void An_https_url_in_Server_Urls_warms_up(string url) =>
        Assert.True(OpenSslWarmup.IsWanted(Config(("Server:Urls:0", "http://127.0.0.1:8080"), ("Server:Urls:1", url))));

    [Fact]
    public void Urls_from_the_command_line_replace_Server_Urls()
    {
        Assert.False(OpenSslWarmup.IsWanted(Config(("Server:Urls:0", "https://127.0.0.1:8443"), ("urls", "http://127.0.0.1:8080"))));
        Assert.True(OpenSslWarmup.IsWanted(Config(("Server:Urls:0", "http://127.0.0.1:8080"), ("urls", "http://127.0.0.1:8080; https://127.0.0.1:8443"))));
    }

    [Fact]
    public void An_empty_urls_value_leaves_Server_Urls_in_force() =>
        Assert.True(OpenSslWarmup.IsWanted(Config(("Server:Urls:0", "https://127.0.0.1:8443"), ("urls", " "))));

    [Fact]
    public void An_https_endpoint_warms_up()
    {
        Assert.True(OpenSslWarmup.IsWanted(Config(("Server:Urls:0", "http://127.0.0.1:8080"), ("Server:Endpoints:0:Url", "https://127.0.0.1:9443"))));
        Assert.False(OpenSslWarmup.IsWanted(Config(("Server:Endpoints:0:Url", "http://127.0.0.1:9080"))));
    }

    [Fact]
    public void The_warm_up_itself_completes_here()
    {
        // Run throws nothing whatever OpenSSL does; this checks it ends, on this machine's OpenSSL.
        var thread = new Thread(OpenSslWarmup.Run);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
    }

    /// <summary>The OpenSSL libraries the program has mapped, a second and a half after its first answer (past the heartbeat that builds a certificate's chain).</summary>
    private async Task<string[]> OpenSslMappedAsync(string urls)
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "warm");
        var path = Path.Combine(Path.GetDirectoryName(certificate)!, "zones-warm.json");
        File.WriteAllText(path, $$"""
            { "Server": { "Urls": [ {{urls}} ], "Tls": { "Certificate": { "Path": "{{certificate}}", "KeyPath": "{{key}}" } } },
              "Logging": { "LogLevel": { "Default": "Warning", "Zones.Server": "Information" } },
              "Zones": [ { "Prefix": "/hello", "Handler": "hello" } ] }
            """);
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Zones.Host.dll"), "--zones", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var plain = (await TestHost.ReadListeningUrlsAsync(process, urls.Split(',').Length)).First(u => u.StartsWith("http:", StringComparison.Ordinal));
            using var client = new HttpClient();
            Assert.Equal("Hello, World!", await client.GetStringAsync(plain.TrimEnd('/') + "/hello"));
            await Task.Delay(1500);
            return [.. File.ReadLines($"/proc/{process.Id}/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
                .Where(file => file.Contains("libssl", StringComparison.Ordinal) || file.Contains("libcrypto", StringComparison.Ordinal))
                .Distinct()];
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_plain_http_server_never_loads_OpenSSL_and_an_https_one_does()
    {
        Assert.Empty(await OpenSslMappedAsync("\"http://127.0.0.1:0\""));
        Assert.NotEmpty(await OpenSslMappedAsync("\"http://127.0.0.1:0\", \"https://127.0.0.1:0\""));
    }
}
