using System.Buffers;
using System.Diagnostics;
using System.Text;
using Zones.Http;

// bench/Parse: the CPU time of finding and parsing one request head, as a keep-alive connection
// does (the head scanner, then the parser with the connection's memory of the last head).
//   dotnet run -c Release --project bench/Parse [-- wrk|browser]
// Two heads: wrk's (two fields) and the one Chromium sends for a page (bench/browser-head.txt:
// 15 fields, 730 bytes, as bench/browser.lua sends them). Each is parsed 2,000,000 times after a warm-up; five rounds print ns per head.
var browser = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "browser-head.txt"));
const string Wrk = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk\r\n\r\n";
const int Heads = 2_000_000;
var limits = new HttpLimits();

foreach (var (name, text) in new[] { ("wrk", Wrk), ("browser", browser) }.Where(h => args.Length == 0 || args.Contains(h.Item1)))
{
    var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
    var cache = new HeaderValueCache();
    var headers = new HttpHeaders();
    long Run(int count)
    {
        long fields = 0;
        for (var i = 0; i < count; i++)
        {
            var scanner = new HeadScanner();
            if (!scanner.TryFindEnd(bytes, limits, out var end)) throw new InvalidOperationException("no head end");
            var head = RequestHeadParser.Parse(bytes.Slice(scanner.HeadStart, end - scanner.HeadStart), cache, headers);
            fields += head.Headers.Count;
        }
        return fields;
    }
    Run(Heads / 4); // warm-up: tiered compilation
    for (var round = 1; round <= 5; round++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Run(Heads);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{name} ({bytes.Length} bytes) round={round} ns/head={used.TotalNanoseconds / Heads:0}");
    }
}
