using System.Buffers;
using System.Text;
using Zones.Http;
using Zones.Server;

namespace Zones.Testing;

/// <summary>
/// What a handler (or a table) answered. For a response, what a client would read: the status,
/// the header fields as the server writes them (Date, Server, Content-Length and the state's
/// provisional headers merged in), and the body's bytes without framing.
/// </summary>
public sealed class ZoneTestResult
{
    internal static readonly ResponseFields Fields = new("Zones");

    private readonly ZoneResult _result;
    private readonly IServiceProvider? _services;
    private readonly TestConnection _connection;

    private ZoneTestResult(ZoneResult result, ZoneState state, IServiceProvider? services, TestConnection connection)
    {
        _result = result;
        State = state;
        _services = services;
        _connection = connection;
    }

    /// <summary>Pass, Next, Respond or TakeOver.</summary>
    public ZoneResultKind Kind => _result.Kind;

    /// <summary>The state the handler ran on (the one that answered, for a table).</summary>
    public ZoneState State { get; }

    /// <summary>For Next: the alternatives the handler offered (rewritten paths, added headers…).</summary>
    public IReadOnlyList<ZoneState> States => _result.States;

    /// <summary>The response as the handler returned it, before it was written; null unless Respond.</summary>
    public ZoneResponse? Response => _result.Response;

    /// <summary>The status line's code; 0 unless Respond.</summary>
    public int Status { get; private set; }

    /// <summary>The response head as the server would send it (status line and fields, up to the blank line); empty unless Respond.</summary>
    public string Head { get; private set; } = "";

    /// <summary>The header fields of <see cref="Head"/>.</summary>
    public HttpHeaders Headers { get; } = new();

    /// <summary>The body's bytes (none for HEAD, 204 and 304, as on the wire).</summary>
    public byte[] Body { get; private set; } = [];

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>True when a handler asked to notice the client hanging up (long-poll and event-stream handlers do).</summary>
    public bool WatchedForDisconnect => _connection.WatchingForDisconnect;

    /// <summary>Runs the take-over the handler asked for, over an in-memory duplex stream whose other end the test holds.</summary>
    public ZoneTestTakeOver StartTakeOver()
    {
        var run = _result.TakeOverRun ?? throw new InvalidOperationException($"The handler answered {Kind}, not TakeOver.");
        var (server, client) = DuplexPipeStream.CreatePair();
        _connection.TakeOverStream = server;
        var context = new TakeOverContext(State, server, _connection, _services ?? NoServices.Instance, default, _connection.Aborted);
        return new ZoneTestTakeOver(client, RunAsync(run, context, server), _connection);
    }

    private static async Task<TakeOverEnd> RunAsync(Func<TakeOverContext, Task<TakeOverEnd>> run, TakeOverContext context, Stream server)
    {
        try { return await run(context); }
        finally { await server.DisposeAsync(); } // the client reads the end, as after a close
    }

    internal static async Task<ZoneTestResult> FromAsync(ZoneResult result, ZoneState state, IServiceProvider? services, TestConnection connection)
    {
        var test = new ZoneTestResult(result, state, services, connection);
        if (result.Response is { } response) await test.RenderAsync(await Http1Output.PrepareAsync(response, connection.Aborted));
        return test;
    }

    private async Task RenderAsync(ZoneResponse response)
    {
        var request = State.Request;
        var body = response.Body;
        try
        {
            var bodyAllowed = response.Status >= 200 && response.Status != 204 && response.Status != 304;
            var length = bodyAllowed ? body.Length : null;
            var chunked = bodyAllowed && length is null && request.Version == HttpVersion.Http11;
            var head = new ArrayBufferWriter<byte>(512);
            ResponseHeadWriter.Write(head, response.Status, response.Headers, State.ResponseHeaders, length, chunked, ConnectionHeader.None, Fields, State.RemovedResponseHeaders);
            ReadHead(Encoding.UTF8.GetString(head.WrittenSpan));
            if (!bodyAllowed || request.IsHead || length == 0) return;
            var sink = new MemorySink();
            var writer = new ResponseBodyWriter(sink);
            writer.Begin();
            await body.WriteAsync(writer, _connection.Aborted);
            Body = await sink.EndAsync();
        }
        finally
        {
            await body.DisposeAsync();
        }
    }

    private void ReadHead(string head)
    {
        Head = head;
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Status = int.Parse(lines[0].AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            Headers.Add(line[..colon], line[(colon + 1)..].Trim());
        }
    }

    /// <summary>The status and body length of a response, or the kind of any other outcome: what an assertion message needs.</summary>
    public override string ToString() => Kind == ZoneResultKind.Respond ? $"{Status} ({Body.Length} body bytes)" : Kind.ToString();
}
