using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Zones.Handlers.WebSockets;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>An independent client: the Python "websockets" library (Debian's python3-websockets) against the zone.</summary>
public sealed class PythonClientTests
{
    private const string Script = """
        import asyncio, json, sys
        import websockets

        async def main(port):
            out = {}
            url = f"ws://127.0.0.1:{port}/ws"
            async with websockets.connect(url, max_size=2**24) as ws:
                out["extensions"] = ws.response_headers.get("Sec-WebSocket-Extensions")
                await ws.send("hello from python \u2713")
                out["text"] = await ws.recv()
                await ws.send(bytes(range(256)))
                out["binary_ok"] = (await ws.recv()) == bytes(range(256))
                big = bytes((i * 31) % 251 for i in range(1_000_000))
                await ws.send(big)
                out["big_ok"] = (await ws.recv()) == big
                await ws.send(["frag", "men", "ted"])
                out["fragmented"] = await ws.recv()
                pong = await ws.ping(b"py-ping")
                await asyncio.wait_for(pong, 10)
                out["pong"] = True
                await ws.close(code=4000, reason="python leaves")
                out["close_code"] = ws.close_code
            async with websockets.connect(url) as ws:
                await ws.send("close:4001:server says bye")
                try:
                    await asyncio.wait_for(ws.recv(), 10)
                except websockets.exceptions.ConnectionClosed as e:
                    out["server_close_code"] = e.rcvd.code
                    out["server_close_reason"] = e.rcvd.reason
            print(json.dumps(out))

        asyncio.run(main(int(sys.argv[1])))
        """;

    [Fact]
    public async Task Python_websockets_echoes_pings_and_closes_both_ways()
    {
        var python = await FindPythonWithWebSocketsAsync();

        await using var server = await WebSocketTestServer.StartAsync(o => o.Compression = true,
            s => s.AddWebSocketEndpoint<RecordingEndpoint>("recording"), "recording");
        var (exit, stdout, stderr) = await RunPythonAsync(python, Script, server.Port.ToString());
        Assert.True(exit == 0, $"python exited {exit}: {stderr}");

        using var result = JsonDocument.Parse(stdout);
        var root = result.RootElement;
        Assert.StartsWith("permessage-deflate", root.GetProperty("extensions").GetString());
        Assert.Equal("hello from python ✓", root.GetProperty("text").GetString());
        Assert.True(root.GetProperty("binary_ok").GetBoolean());
        Assert.True(root.GetProperty("big_ok").GetBoolean());
        Assert.Equal("fragmented", root.GetProperty("fragmented").GetString());
        Assert.True(root.GetProperty("pong").GetBoolean());
        Assert.Equal(4000, root.GetProperty("close_code").GetInt32());
        Assert.Equal(4001, root.GetProperty("server_close_code").GetInt32());
        Assert.Equal("server says bye", root.GetProperty("server_close_reason").GetString());

        var endpoint = server.Services.GetRequiredService<RecordingEndpoint>();
        var first = endpoint.Connected.First();
        var (status, description) = await endpoint.WaitClosedAsync(first.Id);
        Assert.Equal(4000, (int)status);
        Assert.Equal("python leaves", description);
    }

    /// <summary>The first python3 that can import websockets: the one on PATH (a pyenv or venv one may lack it), then Debian's.</summary>
    private static async Task<string> FindPythonWithWebSocketsAsync()
    {
        var candidates = new[] { Requires.Find("python3"), "/usr/bin/python3" }.OfType<string>().Where(File.Exists).Distinct().ToList();
        foreach (var python in candidates)
            if (await RunPythonAsync(python, "import websockets") is (0, _, _)) return python;
        Requires.Missing(candidates.Count == 0
            ? "python3 is not installed: apt-get install -y python3-websockets"
            : $"the Python websockets library is not installed for {string.Join(" or ", candidates)}: apt-get install -y python3-websockets");
        return null!;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunPythonAsync(string python, string script, params string[] args)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("python did not finish within 60 s: " + await stderr);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
