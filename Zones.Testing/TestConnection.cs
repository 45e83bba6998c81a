using System.Buffers;
using Zones.Http;

namespace Zones.Testing;

/// <summary>The connection a test request arrived on: it records what handlers ask of it, and a take-over's head goes to the in-memory stream.</summary>
internal sealed class TestConnection : IZoneConnection
{
    private readonly CancellationTokenSource _aborted = new();

    public CancellationToken Aborted => _aborted.Token;

    /// <summary>True once a handler asked to notice the client hanging up.</summary>
    public bool WatchingForDisconnect { get; private set; }

    /// <summary>The server's end of a take-over's stream, once it started.</summary>
    public Stream? TakeOverStream { get; set; }

    public void WatchForDisconnect() => WatchingForDisconnect = true;

    public async ValueTask WriteTakeOverHeadAsync(int status, HttpHeaders headers, ZoneState state, CancellationToken cancellationToken)
    {
        var stream = TakeOverStream ?? throw new InvalidOperationException("A take-over's head can only be written once the take-over runs.");
        var head = new ArrayBufferWriter<byte>(256);
        ResponseHeadWriter.Write(head, status, headers, state.ResponseHeaders, contentLength: null, chunked: false, ConnectionHeader.Handler, ZoneTestResult.Fields, state.RemovedResponseHeaders);
        await stream.WriteAsync(head.WrittenMemory, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public int Buffered => 0;

    /// <summary>Nothing is looked at ahead in a test's take-over: a protocol that peeks reads the stream as it comes instead.</summary>
    public int Peek(Span<byte> destination) => 0;

    /// <summary>Cancels the request's and take-over's tokens and ends the take-over's stream.</summary>
    public void Abort()
    {
        _aborted.Cancel();
        TakeOverStream?.Dispose();
    }
}
