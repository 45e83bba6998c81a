using System.Net;
using System.Net.Sockets;
using System.Text;
using Bench.Alloc;
using Microsoft.Extensions.Logging.Abstractions;
using Zones;
using Zones.Pipeline;
using Zones.Server;

// bench/Alloc: bytes allocated per plaintext request, counted in one process.
//   dotnet run -c Release --project bench/Alloc -- [DEPTH] [browser]
// A ZoneServer on 127.0.0.1 answers GET /plaintext (the hello handler's answer); 4 raw-socket
// clients send 20,000 requests each, DEPTH per write (default 16: pipelined; 1: one at a time).
// After a warm-up of the same size, three rounds print GC.GetTotalAllocatedBytes over the round
// divided by the requests (with "browser", each request carries the fields Chromium sends for a
// page, bench/browser-head.txt) — the server's allocations and the client loop's together — and then
// the types that allocated most, from the runtime's allocation samples (one per ~100 KB).
var depth = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 16;
const int Clients = 4, PerClient = 20_000;

var hello = "Hello, World!"u8.ToArray();
var zone = new Zone("/plaintext", new ZoneHandlerFunc(c => c.Suffix.Length > 0 ? ZoneResult.Pass : ZoneResult.Respond(ZoneResponse.Bytes(hello, "text/plain; charset=utf-8"))), null);
await using var server = new ZoneServer(new ServerOptions { Urls = ["http://127.0.0.1:0"] }, new ZoneTable([zone]), NullLoggerFactory.Instance, null);
await server.StartAsync();
var port = server.EndPoints[0].Port;
var head = args.Contains("browser") ? File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "browser-head.txt"))
    : "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: wrk\r\n\r\n";
var batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(head, depth)));

// Each client's receive buffer is made once, outside the rounds: 64 KiB a connection per round
// would otherwise read as 3.3 B a request. What a round still counts besides the requests is
// opening its four connections (sockets, pipes, the connection's objects).
var buffers = Enumerable.Range(0, Clients).Select(_ => new byte[64 * 1024]).ToArray();

async Task RunClientAsync(byte[] buffer)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(IPAddress.Loopback, port);
    for (var sent = 0; sent < PerClient; sent += depth)
    {
        // The Memory overloads: the byte[] ones are the ArraySegment overloads, which return a
        // Task<int> (a Task per send, a ValueTaskSourceAsTask per receive) and count the client.
        await socket.SendAsync(batch.AsMemory(), SocketFlags.None);
        // Each answer's body ends in the one '!' of "Hello, World!".
        for (var answered = 0; answered < depth;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
            if (n == 0) throw new IOException("the server closed the connection");
            answered += buffer.AsSpan(0, n).Count((byte)'!');
        }
    }
}

Task RoundAsync() => Task.WhenAll(buffers.Select(RunClientAsync));

using var samples = new AllocationSamples();
await RoundAsync(); // warm-up: JIT, pools, tiered compilation
samples.On = true;
for (var round = 1; round <= 3; round++)
{
    var before = GC.GetTotalAllocatedBytes(precise: true);
    await RoundAsync();
    var after = GC.GetTotalAllocatedBytes(precise: true);
    Console.WriteLine($"depth={depth} round={round} bytes/request={(after - before) / (double)(Clients * PerClient):0.0}");
}
samples.On = false;
foreach (var (type, share) in samples.TopShares(12)) Console.WriteLine($"{share,6:0.0}%  {type}");
