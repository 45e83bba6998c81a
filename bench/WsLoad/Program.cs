// WebSocket load for bench/run.sh.
//   echo URL CLIENTS BYTES SECONDS  → "messages/s N": each client sends a message and waits for its echo
//   idle URL CLIENTS                → opens CLIENTS connections, prints "ready N", holds them until stdin closes
using System.Diagnostics;
using System.Net.WebSockets;

if (args.Length < 3) { Console.Error.WriteLine("usage: echo URL CLIENTS BYTES SECONDS | idle URL CLIENTS"); return 2; }
var uri = new Uri(args[1]);
var clients = int.Parse(args[2]);
ThreadPool.SetMinThreads(Math.Max(clients, 16), 16);

if (args[0] == "echo")
{
    var size = int.Parse(args[3]);
    var duration = TimeSpan.FromSeconds(double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
    var sockets = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ConnectAsync(uri)));
    var payload = new byte[size];
    Random.Shared.NextBytes(payload);
    long total = 0;
    using var stop = new CancellationTokenSource();
    var clock = Stopwatch.StartNew();
    stop.CancelAfter(duration);
    await Task.WhenAll(sockets.Select(async socket =>
    {
        var buffer = new byte[size + 1024];
        long mine = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
                var received = 0;
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
                    received += result.Count;
                    if (result.EndOfMessage) break;
                }
                if (received != size) throw new InvalidOperationException($"echo of {received} bytes, sent {size}");
                mine++;
            }
        }
        finally
        {
            Interlocked.Add(ref total, mine);
        }
    }));
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"messages/s {total / seconds:F0}");
    foreach (var s in sockets) s.Abort();
    return 0;
}

if (args[0] == "idle")
{
    var sockets = new List<ClientWebSocket>(clients);
    using var gate = new SemaphoreSlim(100);
    var tasks = Enumerable.Range(0, clients).Select(async _ =>
    {
        await gate.WaitAsync();
        try { var s = await ConnectAsync(uri); lock (sockets) sockets.Add(s); }
        finally { gate.Release(); }
    });
    await Task.WhenAll(tasks);
    Console.WriteLine($"ready {sockets.Count}");
    await Console.In.ReadToEndAsync();
    foreach (var s in sockets) s.Abort();
    return 0;
}

Console.Error.WriteLine("unknown mode " + args[0]);
return 2;

static async Task<ClientWebSocket> ConnectAsync(Uri uri)
{
    var socket = new ClientWebSocket();
    socket.Options.KeepAliveInterval = TimeSpan.Zero; // idle means idle: no pings from us
    socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true; // wss:// to the bench's own self-signed certificate
    await socket.ConnectAsync(uri, CancellationToken.None);
    return socket;
}
