using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Tls;

/// <summary>An https:// listener: every request works over it, with the TLS policy the issue asks for.</summary>
public sealed class HttpsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task HttpClient_over_https_reaches_the_handler_which_knows_it_is_https()
    {
        await using var server = await TlsServer.StartAsync(_certificates);
        Assert.StartsWith("https://127.0.0.1:", server.Server.Urls[0]);
        using var client = TlsServer.Client(server, _certificates);
        Assert.Equal("https=True client=- host=127.0.0.1:" + server.Port, await client.GetStringAsync("/"));
        // Keep-alive over TLS: the second request rides the same connection.
        Assert.StartsWith("https=True", await client.GetStringAsync("/again"));
        Assert.Equal(1, server.Server.ConnectionCount);
    }

    [Fact]
    public async Task Pipelined_requests_larger_than_one_read_are_answered_whole_and_in_order_over_tls()
    {
        // 40 heads of about 1 KiB in one write: many TLS records and reads. The batch's answers
        // are sent while the connection's next read of the TLS stream is pending (PipelinedBatch).
        await using var server = await TlsServer.StartAsync(_certificates, null,
            TestServer.Zone("/n/", c => ZoneResult.Respond(ZoneResponse.Text(c.Request.Path[3..]))));
        await using var tls = await TlsServer.HandshakeAsync(server.Port, _certificates);
        var padding = new string('p', 1000);
        var batch = string.Concat(Enumerable.Range(1, 40).Select(i => $"GET /n/{i:D2} HTTP/1.1\r\nHost: t\r\nX-Padding: {padding}\r\n\r\n"));
        await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes(batch));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        string text;
        do
        {
            var n = await tls.ReadAsync(buffer, timeout.Token);
            Assert.True(n > 0, "the connection closed before the 40th answer");
            received.Write(buffer, 0, n);
            text = System.Text.Encoding.Latin1.GetString(received.ToArray());
        } while (!text.EndsWith("\r\n\r\n40", StringComparison.Ordinal));
        var bodies = text.Split("HTTP/1.1 200 OK").Skip(1).Select(r => r[^2..]);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"{i:D2}"), bodies);
    }

    [Fact]
    public async Task Plain_and_tls_listeners_serve_side_by_side()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "server");
        await using var server = await TestServer.StartAsync([TlsServer.Echo], o =>
        {
            o.Urls = ["http://127.0.0.1:0", "https://127.0.0.1:0"];
            o.Tls.Certificate = new Zones.Tls.CertificateFile { Path = certificate, KeyPath = key };
        });
        var plain = new Uri(server.Server.Urls.Single(u => u.StartsWith("http:", StringComparison.Ordinal)));
        var secure = new Uri(server.Server.Urls.Single(u => u.StartsWith("https:", StringComparison.Ordinal)));
        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=False", await client.GetStringAsync(plain));
        Assert.StartsWith("https=True", await client.GetStringAsync(secure));
    }

    [Fact]
    public async Task Curl_verifies_the_chain_against_the_authority()
    {
        var curl = Requires.Tool("curl", "apt-get install curl");
        await using var server = await TlsServer.StartAsync(_certificates);
        var (exit, output) = await RunAsync(curl, $"-sS --cacert {_certificates.AuthorityPath} https://localhost:{server.Port}/");
        Assert.True(exit == 0, output);
        Assert.Equal("https=True client=- host=localhost:" + server.Port, output);
        (exit, output) = await RunAsync(curl, $"-sS https://localhost:{server.Port}/"); // without the authority: refused by curl
        Assert.NotEqual(0, exit);
    }

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    [InlineData("-tls1_2 -cipher ECDHE-RSA-AES128-SHA")]
    [InlineData("-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256")] // CBC with SHA-256: what the System list would take
    [InlineData("-tls1_2 -cipher AES128-GCM-SHA256")]
    public async Task Old_protocols_cbc_and_non_ecdhe_suites_are_refused(string options)
    {
        var openssl = Requires.Tool("openssl", "apt-get install openssl");
        await using var server = await TlsServer.StartAsync(_certificates);
        var (exit, output) = await RunAsync(openssl, $"s_client -connect 127.0.0.1:{server.Port} -servername localhost {options} -CAfile {_certificates.AuthorityPath}", stdin: "");
        Assert.True(exit != 0, "openssl connected with " + options + ":\n" + output);
        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=True", await client.GetStringAsync("/")); // and the server is none the worse
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData("-tls1_3", "TLS_AES_128_GCM_SHA256")]
    [InlineData("-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256")]
    [InlineData("-tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305")]
    public async Task Tls_1_3_and_aead_suites_of_tls_1_2_are_accepted(string options, string cipher)
    {
        var openssl = Requires.Tool("openssl", "apt-get install openssl");
        await using var server = await TlsServer.StartAsync(_certificates);
        var (exit, output) = await RunAsync(openssl, $"s_client -connect 127.0.0.1:{server.Port} -servername localhost {options} -CAfile {_certificates.AuthorityPath} -alpn http/1.1 -ign_eof",
            stdin: "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.True(exit == 0, output);
        Assert.Contains(cipher, output);
        Assert.Contains("ALPN protocol: http/1.1", output);
        Assert.Contains("Verify return code: 0 (ok)", output);
        Assert.Contains("https=True", output);
    }

    [Fact]
    public async Task With_the_system_cipher_list_a_cbc_suite_is_accepted_again()
    {
        var openssl = Requires.Tool("openssl", "apt-get install openssl");
        await using var server = await TlsServer.StartAsync(_certificates, o => o.Tls.CipherSuites = Zones.Tls.TlsCipherSuites.System);
        var (exit, output) = await RunAsync(openssl, $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256 -CAfile {_certificates.AuthorityPath}", stdin: "");
        Assert.True(exit == 0, output);
        Assert.Contains("ECDHE-ECDSA-AES128-SHA256", output); // a CBC suite, refused by the default policy
    }

    [Fact]
    public async Task A_client_offering_only_h2_fails_the_handshake_at_once()
    {
        var openssl = Requires.Tool("openssl", "apt-get install openssl");
        await using var server = await TlsServer.StartAsync(_certificates);
        var watch = Stopwatch.StartNew();
        var (exit, output) = await RunAsync(openssl, $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -alpn h2 -CAfile {_certificates.AuthorityPath}", stdin: "");
        Assert.True(exit != 0, "a client offering only h2 completed the handshake:\n" + output);
        Assert.Contains("no application protocol", output, StringComparison.OrdinalIgnoreCase);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}: the refusal must not wait for a timeout");
        await server.Logs.WaitForAsync(e => e.Message.Contains("TLS handshake failed") && e.Level == LogLevel.Debug);
    }

    [Fact]
    public async Task A_stalled_handshake_is_cut_at_its_limit_while_other_clients_are_served()
    {
        await using var server = await TlsServer.StartAsync(_certificates, o => o.Tls.HandshakeTimeout = TimeSpan.FromSeconds(2));
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stalled.ConnectAsync(IPAddress.Loopback, server.Port); // and never says hello
        var opened = Environment.TickCount64;
        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=True", await client.GetStringAsync("/"));

        var buffer = new byte[16];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var read = await stalled.ReceiveAsync(buffer, SocketFlags.None, guard.Token); // 0: closed by the server
        var after = Environment.TickCount64 - opened;
        Assert.Equal(0, read);
        Assert.True(after >= 1900, $"cut after {after} ms, before the 2 s limit");
        await server.Logs.WaitForAsync(e => e.Message.Contains("took longer than 2 s"));
    }

    [Fact]
    public async Task Handshakes_in_progress_count_against_max_connections_and_a_stalled_one_frees_its_place_at_the_limit()
    {
        // The third client must arrive while the two stalled handshakes still hold their places: a
        // limit of 2 s was tight for a loaded machine (a starved thread pool can pause a test that long).
        await using var server = await TlsServer.StartAsync(_certificates, o =>
        {
            o.Tls.HandshakeTimeout = TimeSpan.FromSeconds(6);
            o.Limits.MaxConnections = 2;
        });
        var stalled = new List<Socket>();
        for (var i = 0; i < 2; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, server.Port);
            stalled.Add(socket);
        }
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 2, "the two stalled handshakes to be counted");
        // A third is refused: closed at once (a plain-text 503 would mean nothing to a TLS client).
        await Assert.ThrowsAnyAsync<Exception>(() => TlsServer.HandshakeAsync(server.Port, _certificates));
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("connections open, the limit (MaxConnections)"));
        // The stalled ones are cut at the handshake limit, and the places are free again.
        await Wait.UntilAsync(() => server.Server.ConnectionCount == 0, "the stalled handshakes to be cut");
        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=True", await client.GetStringAsync("/"));
        foreach (var socket in stalled) socket.Dispose();
    }

    [Fact]
    public async Task Strict_transport_security_is_sent_over_tls_when_asked_and_never_over_plain_http()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "server");
        await using var server = await TestServer.StartAsync([TlsServer.Echo], o =>
        {
            o.Urls = ["http://127.0.0.1:0", "https://127.0.0.1:0"];
            o.Tls.Certificate = new Zones.Tls.CertificateFile { Path = certificate, KeyPath = key };
            o.Tls.Hsts = new Zones.Tls.HstsOptions { MaxAge = TimeSpan.FromDays(180), IncludeSubDomains = true };
        });
        using var client = TlsServer.Client(server, _certificates);
        using var secure = await client.GetAsync(server.Server.Urls.Single(u => u.StartsWith("https:", StringComparison.Ordinal)));
        Assert.Equal("max-age=15552000; includeSubDomains", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));
        using var plain = await client.GetAsync(server.Server.Urls.Single(u => u.StartsWith("http:", StringComparison.Ordinal)));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    internal static async Task<(int Exit, string Output)> RunAsync(string program, string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output) + (await error));
    }

    // A certificate's handshake context (its chain, built against the system trust store: ~100 ms
    // of CPU) is built in the background once the server is serving, not during the start, where
    // it took a core from the first responses.
    [Fact]
    public async Task The_start_leaves_the_handshake_contexts_and_the_first_tls_connection_begins_them()
    {
        var started = Stopwatch.StartNew();
        await using var server = await TlsServer.StartAsync(_certificates);
        var preparingAfterStart = server.Server.CertificatesPreparing;
        // The heartbeat begins it a second after the start: only a start quicker than that shows the start left it.
        if (started.Elapsed < TimeSpan.FromMilliseconds(800)) Assert.False(preparingAfterStart, "the start built the handshake contexts");

        using var client = TlsServer.Client(server, _certificates);
        Assert.StartsWith("https=True", await client.GetStringAsync("/"));
        Assert.True(server.Server.CertificatesPreparing);
    }

    [Fact]
    public async Task Without_a_tls_connection_the_first_heartbeat_begins_the_handshake_contexts()
    {
        await using var server = await TlsServer.StartAsync(_certificates);
        await Wait.UntilAsync(() => server.Server.CertificatesPreparing, "the heartbeat's preparation of the certificates");
    }
}
