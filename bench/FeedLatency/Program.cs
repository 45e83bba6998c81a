using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

// bench/FeedLatency: publish → delivery latency of a feed over Server-Sent Events.
//   FeedLatency PUBLISH_URL SUBSCRIBE_URLS SUBSCRIBERS RATES SECONDS [SAMPLE]
// Opens SUBSCRIBERS raw SSE connections to /events/bench, spread round-robin over the
// comma-separated SUBSCRIBE_URLS; then, for each events/s in the comma-separated RATES,
// publishes for SECONDS to PUBLISH_URL/feeds/bench, each event carrying the time it was sent.
// Latency = from the start of the publish request to the event read by a subscriber, measured
// on the subscribers SAMPLE names: "url=URL" (those of one instance) or "stride=N" (every Nth;
// default: all); the others are only drained. A 3 s warm-up at 200 events/s comes first and
// is not reported. Prints one line per rate:
//   rate=R sent=N p50=ms p99=ms max=ms missing=M
// (missing: events a sampled subscriber did not get within 5 s of the end of its rate).

var publishUrl = new Uri(args[0]);
var subscribeUrls = args[1].Split(',').Select(u => new Uri(u)).ToArray();
var subscribers = int.Parse(args[2], CultureInfo.InvariantCulture);
var rates = args[3].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
var seconds = double.Parse(args[4], CultureInfo.InvariantCulture);
var sample = args.Length > 5 ? args[5] : "stride=1";
Uri? sampleUrl = sample.StartsWith("url=", StringComparison.Ordinal) ? new Uri(sample[4..]) : null;
var stride = sample.StartsWith("stride=", StringComparison.Ordinal) ? int.Parse(sample[7..], CultureInfo.InvariantCulture) : 1;

var connections = new List<Subscriber>();
for (var i = 0; i < subscribers; i++)
{
    var url = subscribeUrls[i % subscribeUrls.Length];
    connections.Add(await Subscriber.OpenAsync(url, sample: sampleUrl is null ? i % stride == 0 : url == sampleUrl));
}
await Task.WhenAll(connections.Select(c => c.Ready));
await Task.Delay(1000); // every subscription is live (a Redis-backed one reads its start first)
var sampled = connections.Where(c => c.Sampled).ToList();
Console.WriteLine($"subscribers={subscribers} sampled={sampled.Count} instances={subscribeUrls.Length}");

using var publisher = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = publishUrl };
foreach (var (rate, report) in new[] { (200, false) }.Concat(rates.Select(r => (r, true))))
{
    var runSeconds = report ? seconds : 3;
    foreach (var c in sampled) c.Reset();
    var total = (int)(rate * runSeconds);
    using var inFlight = new SemaphoreSlim(64);
    var sends = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    var errors = 0;
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds(i / (double)rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
        await inFlight.WaitAsync();
        var stamp = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        sends.Add(Task.Run(async () =>
        {
            try
            {
                using var response = await publisher.PostAsync("/feeds/bench", new StringContent(stamp));
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
            }
            catch (HttpRequestException) { Interlocked.Increment(ref errors); }
            finally { inFlight.Release(); }
        }));
    }
    await Task.WhenAll(sends);
    var sentIn = clock.Elapsed.TotalSeconds;
    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
    while (sampled.Any(c => c.Count < total) && DateTime.UtcNow < deadline) await Task.Delay(50);
    if (!report) continue; // the warm-up: JIT, connection pools, Redis scripts loaded
    var latencies = sampled.SelectMany(c => c.Latencies()).Order().ToArray();
    var missing = sampled.Sum(c => Math.Max(0, total - c.Count));
    double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
    Console.WriteLine(FormattableString.Invariant(
        $"rate={rate} sent={total} in={sentIn:0.0}s errors={errors} p50={P(0.50):0.00} p99={P(0.99):0.00} max={(latencies.Length == 0 ? double.NaN : latencies[^1]):0.00} missing={missing}"));
}
foreach (var c in connections) c.Dispose();

/// <summary>One SSE connection on a raw socket; a sampled one records the latency of each event it reads.</summary>
sealed class Subscriber : IDisposable
{
    private readonly Socket _socket;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private List<double> _latencies = new(4096);
    private int _count;

    private Subscriber(Socket socket, bool sample)
    {
        _socket = socket;
        Sampled = sample;
    }

    public bool Sampled { get; }

    public Task Ready => _ready.Task;

    public int Count => Volatile.Read(ref _count);

    public static async Task<Subscriber> OpenAsync(Uri url, bool sample)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(url.Host), url.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /events/bench HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n"));
        var subscriber = new Subscriber(socket, sample);
        _ = subscriber.ReadAsync();
        return subscriber;
    }

    public void Reset()
    {
        lock (_lock) _latencies = new List<double>(4096);
        Volatile.Write(ref _count, 0);
    }

    public IEnumerable<double> Latencies()
    {
        lock (_lock) return _latencies.ToArray();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var line = new StringBuilder();
        try
        {
            int n;
            while ((n = await _socket.ReceiveAsync(buffer)) > 0)
            {
                var now = Stopwatch.GetTimestamp();
                if (!Sampled && _ready.Task.IsCompleted) continue; // only drained
                for (var i = 0; i < n; i++)
                {
                    var b = buffer[i];
                    if (b != (byte)'\n') { line.Append((char)b); continue; }
                    OnLine(line, now);
                    line.Clear();
                }
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _ready.TrySetException(new IOException("the stream ended"));
    }

    private void OnLine(StringBuilder line, long now)
    {
        if (line.Length >= 6 && line[0] == 'r' && line.ToString().StartsWith("retry:", StringComparison.Ordinal)) _ready.TrySetResult();
        if (line.Length < 7 || line[0] != 'd' || !line.ToString().StartsWith("data: ", StringComparison.Ordinal)) return;
        if (!long.TryParse(line.ToString(6, line.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var sent)) return;
        var ms = (now - sent) * 1000.0 / Stopwatch.Frequency;
        lock (_lock) _latencies.Add(ms);
        Interlocked.Increment(ref _count);
    }

    public void Dispose() => _socket.Dispose();
}
