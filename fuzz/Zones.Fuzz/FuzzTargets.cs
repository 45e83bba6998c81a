using System.Buffers;
using Zones.Http;
using Zones.Server;

namespace Zones.Fuzz;

/// <summary>
/// What the fuzzer feeds, shared with the test that replays the corpus in CI. A target may
/// refuse its input with <see cref="BadHttpRequestException"/> — that is the parser working;
/// any other exception, a hang or a crash is a finding.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["head"] = RequestHead,
        ["chunked"] = ChunkedBody,
        ["wshandshake"] = WebSocketHandshakeCheck,
    };

    // Created on first use, inside the fuzzing loop: instrumented Zones.Core code must not run
    // before SharpFuzz has set up AFL's shared memory.
    private static ServerLimits? _limits;
    private static ServerLimits Limits => _limits ??= new ServerLimits();

    // Fuzz inputs are small: a low extension budget lets the fuzzer reach that limit too.
    private static ServerLimits? _chunkedLimits;
    private static ServerLimits ChunkedLimits => _chunkedLimits ??= new ServerLimits { MaxChunkExtensionSize = 64 };

    // The smallest limits the configuration allows: short inputs reach the over-long request line
    // (which part is to blame: 400 or 414) and the header size limits.
    private static ServerLimits? _tightLimits;
    private static ServerLimits TightLimits => _tightLimits ??= new ServerLimits { MaxRequestLineSize = 64, MaxRequestHeadersTotalSize = 64, MaxRequestHeaderCount = 4 };

    /// <summary>
    /// The head scanner on the bytes as they arrive in two pieces, then the parser on the head.
    /// The first byte picks the split point (its low 7 bits) and the limits (its top bit: the tight ones).
    /// </summary>
    public static void RequestHead(byte[] data)
    {
        var split = data.Length == 0 ? 0 : (data[0] & 0x7F) % Math.Max(1, data.Length);
        var limits = data.Length > 0 && data[0] >= 0x80 ? TightLimits : Limits;
        try
        {
            var scanner = new HeadScanner();
            var first = new ReadOnlySequence<byte>(data, 0, split);
            if (!scanner.TryFindEnd(first, limits, out var end) && !scanner.TryFindEnd(new ReadOnlySequence<byte>(data), limits, out end))
                return;
            var head = data.AsSpan((int)scanner.HeadStart, (int)(end - scanner.HeadStart));
            var request = HttpRequest.Parse(head);
            _ = request.Accept.Count + request.AcceptEncoding.Count + request.Path.Length + request.Host.Length;
        }
        catch (BadHttpRequestException)
        {
        }
    }

    /// <summary>
    /// A request head, then the WebSocket handshake validation on it (token lists, key, version,
    /// origin, subprotocols, permessage-deflate parameters) with every option switched on.
    /// </summary>
    public static void WebSocketHandshakeCheck(byte[] data)
    {
        try
        {
            var scanner = new HeadScanner();
            if (!scanner.TryFindEnd(new ReadOnlySequence<byte>(data), Limits, out var end)) return;
            var request = HttpRequest.Parse(data.AsSpan((int)scanner.HeadStart, (int)(end - scanner.HeadStart)));
            var options = _wsOptions ??= new Zones.Handlers.WebSockets.WebSocketZoneOptions
            {
                Endpoint = "echo",
                Compression = true,
                SubProtocols = ["chat", "superchat"],
                AllowedOrigins = ["http://example.com"],
            };
            var outcome = Zones.Handlers.WebSockets.WebSocketHandshake.Check(request, options);
            _ = outcome.Rejection?.Status ?? outcome.Accepted!.ResponseHeaders.Count;
        }
        catch (BadHttpRequestException)
        {
        }
    }

    private static Zones.Handlers.WebSockets.WebSocketZoneOptions? _wsOptions;

    /// <summary>The chunked decoder (size lines by the extension grammar, trailers) fed in pieces of varying size into a small destination buffer.</summary>
    public static void ChunkedBody(byte[] data)
    {
        var decoder = new ChunkedDecoder();
        var trailers = new HttpHeaders();
        var destination = new byte[13];
        var offset = 0;
        var step = 1 + (data.Length == 0 ? 0 : data[0] % 17);
        try
        {
            var available = Math.Min(data.Length, step);
            while (!decoder.IsDone)
            {
                var pending = new ReadOnlySequence<byte>(data, offset, available - offset);
                var copied = decoder.Decode(pending, destination, trailers, ChunkedLimits, out var consumed);
                var used = (int)pending.Slice(0, consumed).Length;
                offset += used;
                if (copied == 0 && used == 0)
                {
                    if (available == data.Length) return; // needs more than there is
                    available = Math.Min(data.Length, available + step);
                }
            }
        }
        catch (BadHttpRequestException)
        {
        }
    }
}
