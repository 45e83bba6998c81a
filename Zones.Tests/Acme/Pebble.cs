using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Zones.Tests.Infrastructure;
using Zones.Tests.Tls;

namespace Zones.Tests.Acme;

/// <summary>
/// A real Pebble (Let's Encrypt's test CA) for one test, with pebble-challtestsrv as its DNS
/// server, answering every name with 127.0.0.1. Made in two steps, because each side needs the
/// other's ports: the constructor picks Pebble's ports and writes the HTTPS certificate Pebble
/// serves its directory with (Debian ships none), so Zones can be configured and started; then
/// <see cref="StartAsync"/> runs Pebble with its validator pointed at Zones' listeners.
/// Both processes are killed on dispose.
/// </summary>
public sealed class Pebble : IAsyncDisposable
{
    private readonly TestCertificates _https = new("Pebble HTTPS Test CA");
    private readonly string _certificate;
    private readonly string _key;
    private readonly List<Process> _processes = [];

    public Pebble()
    {
        Requires.Linux("Pebble runs as a Linux process here");
        PebblePath = Requires.Tool("pebble", "apt-get install -y pebble");
        ChallengeServerPath = Requires.Tool("pebble-challtestsrv", "apt-get install -y pebble");
        (_certificate, _key) = _https.WritePem(_https.Server(), "pebble");
        Port = FreeTcpPort();
        ManagementPort = FreeTcpPort();
    }

    public string PebblePath { get; }

    public string ChallengeServerPath { get; }

    public int Port { get; }

    public int ManagementPort { get; }

    public string DirectoryUrl => $"https://127.0.0.1:{Port}/dir";

    /// <summary>The authority of Pebble's own HTTPS certificate: Server:Tls:Acme:DirectoryCaCertificate.</summary>
    public string DirectoryCaCertificate => _https.AuthorityPath;

    /// <summary>What Pebble wrote (both processes), for a failing test's message.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Starts the DNS server and Pebble; returns when Pebble's directory answers.</summary>
    /// <param name="httpPort">Where Pebble's validator connects for http-01 (Zones' plain listener).</param>
    /// <param name="tlsPort">Where it connects for tls-alpn-01 (Zones' TLS listener).</param>
    /// <param name="validity">The lifetime of the certificates Pebble issues (its default is five years).</param>
    public async Task StartAsync(int httpPort, int tlsPort, TimeSpan? validity = null)
    {
        var dnsPort = FreeUdpPort();
        Start(ChallengeServerPath, [
            "-dns01", $"127.0.0.1:{dnsPort}", "-http01", "", "-https01", "", "-tlsalpn01", "",
            "-management", $"127.0.0.1:{FreeTcpPort()}", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""], []);
        var config = Path.Combine(_https.Folder, "pebble-config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "pebble": {
                "listenAddress": "127.0.0.1:{{Port}}",
                "managementListenAddress": "127.0.0.1:{{ManagementPort}}",
                "certificate": "{{_certificate}}",
                "privateKey": "{{_key}}",
                "httpPort": {{httpPort}},
                "tlsPort": {{tlsPort}},
                "ocspResponderURL": "",
                "externalAccountBindingRequired": false
                {{(validity is { } v ? $", \"certificateValidityPeriod\": {(long)v.TotalSeconds}" : "")}} } }
            """);
        // No artificial validation delay, no random nonce rejection, no reuse of earlier
        // authorizations (each order really answers its challenges).
        Start(PebblePath, ["-config", config, "-dnsserver", $"127.0.0.1:{dnsPort}"],
            new() { ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0", ["PEBBLE_AUTHZREUSE"] = "0" });
        using var http = Client();
        var deadline = DateTime.UtcNow + Wait.DefaultTimeout;
        while (!await AnswersAsync(http, DirectoryUrl))
        {
            var exited = _processes.FirstOrDefault(p => p.HasExited);
            if (exited is not null || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"Pebble did not start ({(exited is null ? "no answer in time" : "a process exited")}):\n" + string.Join("\n", Output));
            await Task.Delay(50);
        }
    }

    /// <summary>Pebble's issuing root (made at its start, fetched from its management interface).</summary>
    public async Task<X509Certificate2> RootAsync()
    {
        using var http = Client();
        var pem = await http.GetStringAsync($"https://127.0.0.1:{ManagementPort}/roots/0");
        return X509Certificate2.CreateFromPem(pem);
    }

    /// <summary>Stops Pebble and its DNS server (the CA goes down).</summary>
    public async Task StopAsync()
    {
        foreach (var process in _processes)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            process.Dispose();
        }
        _processes.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _https.Dispose();
    }

    /// <summary>A client that trusts Pebble's HTTPS authority (for its directory and management interface).</summary>
    private HttpClient Client() => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => _https.Trusts(c) },
    }) { Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
    }

    private void Start(string path, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        _processes.Add(process);
        var name = Path.GetFileName(path);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue($"{name}: {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue($"{name}: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeUdpPort()
    {
        // The DNS server listens on UDP and TCP with one port number: free on both.
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { tcp.Bind(new IPEndPoint(IPAddress.Loopback, port)); return port; }
            catch (SocketException) { }
        }
    }
}
