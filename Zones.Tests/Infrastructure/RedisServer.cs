using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zones.Tests.Infrastructure;

/// <summary>
/// A redis-server of the test's own: on a free port of 127.0.0.1, in a temporary folder, with no
/// persistence (<c>--save "" --appendonly no</c>), so a restart comes back empty — as a wiped
/// Redis does. Stopped (and its folder removed) on dispose; never a system Redis.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _executable;
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-redis-").FullName;
    private Process? _process;

    private RedisServer(string executable, int port)
    {
        _executable = executable;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartAsync()
    {
        var executable = Requires.Tool("redis-server", "apt-get install -y redis-server");
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(executable, FreePort());
            try
            {
                await server.StartAsync(TimeSpan.FromSeconds(20));
                return server;
            }
            catch (IOException) when (attempt < 3)
            {
                await server.DisposeAsync(); // the port was taken between asking and binding: another one
            }
        }
    }

    /// <summary>A server not started yet, on a free port: for "Redis is down when Zones starts"; <see cref="RestartAsync"/> starts it.</summary>
    public static RedisServer Reserve() => new(Requires.Tool("redis-server", "apt-get install -y redis-server"), FreePort());

    /// <summary>A port no other program of this machine listens on now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts it (again) on its port, empty: nothing was saved.</summary>
    public Task RestartAsync() => StartAsync(TimeSpan.FromSeconds(20));

    /// <summary>Kills it at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Sends one command in RESP and returns the first line of the answer (e.g. "+OK", ":3").</summary>
    public async Task<string> CommandAsync(params string[] words)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var request = new StringBuilder($"*{words.Length}\r\n");
        foreach (var word in words) request.Append($"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    private async Task StartAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo(_executable,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", _folder, "--daemonize", "no", "--loglevel", "warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new IOException("redis-server did not start");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new IOException($"redis-server exited at start with code {_process.ExitCode} (port {Port} taken?)");
            try
            {
                if (await CommandAsync("PING") == "+PONG")
                {
                    // Another test's redis-server may have taken the port between FreePort and this
                    // start: it answers PING too, while ours exits. Ours knows its own process id.
                    if (await CommandAsync("EVAL", "return tonumber(string.match(redis.call('INFO', 'server'), 'process_id:(%d+)'))", "0") == $":{_process.Id}") return;
                    throw new IOException($"port {Port} is another redis-server's");
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server on port {Port} did not answer PING within {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
