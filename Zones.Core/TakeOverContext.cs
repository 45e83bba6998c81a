using System.Net;
using Zones.Http;

namespace Zones;

/// <summary>
/// What a take-over handler owns: the connection's byte stream (bytes that arrived after the
/// request head are read first), the request that led here, and two signals — the server is
/// stopping (finish politely, e.g. close a WebSocket with 1001) and the connection is gone or
/// being cut (stop now).
/// </summary>
/// <remarks>
/// A request that was taken over is never reused: its <see cref="HttpRequest"/>, state and
/// <see cref="ZoneContext"/> stay as they are for as long as the handler holds them, even after it
/// hands the connection back with <see cref="TakeOverEnd.ContinueHttp"/>.
/// </remarks>
public sealed class TakeOverContext
{
    private readonly IZoneConnection _connection;

    internal TakeOverContext(ZoneState state, Stream stream, IZoneConnection connection, IServiceProvider services, CancellationToken serverStopping, CancellationToken connectionAborted) =>
        (State, Stream, _connection, Services, ServerStopping, ConnectionAborted) = (state, stream, connection, services, serverStopping, connectionAborted);

    /// <summary>The state of the request that was taken over.</summary>
    public ZoneState State { get; }

    /// <summary>The request that was taken over; its body, if any, was not read by the server.</summary>
    public HttpRequest Request => State.Request;

    /// <summary>The client's address and port.</summary>
    public IPEndPoint? RemoteEndPoint => Request.RemoteEndPoint;

    /// <summary>The connection, both ways. Do not dispose it to close the connection: return from the take-over instead.</summary>
    public Stream Stream { get; }

    /// <summary>The application's services (a hub, the feeds).</summary>
    public IServiceProvider Services { get; }

    /// <summary>
    /// How many bytes <see cref="Stream"/> can return now without waiting, as of its last read
    /// (Go's bufio.Reader.Buffered). A lower bound: more may have arrived since.
    /// </summary>
    public int Buffered => _connection.Buffered;

    /// <summary>
    /// Copies the bytes <see cref="Stream"/> would return now into <paramref name="destination"/>
    /// without consuming them (they are read again by the next read), and returns how many were
    /// copied; afterwards <see cref="Buffered"/> counts every byte that has arrived. With a
    /// zero-byte read of <see cref="Stream"/> — which waits for bytes and consumes none — a
    /// protocol can wait for its next frame holding no buffer, then look at the frame's head
    /// before deciding who reads it. Not while a read of <see cref="Stream"/> waits.
    /// </summary>
    /// <exception cref="InvalidOperationException">A read of <see cref="Stream"/> is waiting.</exception>
    public int Peek(Span<byte> destination) => _connection.Peek(destination);

    /// <summary>Cancelled when the server begins a graceful shutdown.</summary>
    public CancellationToken ServerStopping { get; }

    /// <summary>Cancelled when the connection is closed or the shutdown timeout ran out.</summary>
    public CancellationToken ConnectionAborted { get; }

    /// <summary>
    /// Cuts the connection now, without a goodbye: reads and writes in progress fail and
    /// <see cref="ConnectionAborted"/> fires. For a peer that stopped reading or answering; a
    /// polite end is returning from the take-over instead.
    /// </summary>
    public void Abort() => _connection.Abort();

    /// <summary>
    /// For a take-over that only writes (an event stream): from now on the connection reads and
    /// drops whatever the client sends, and cancels <see cref="ConnectionAborted"/> the moment
    /// the client hangs up (FIN or RST), instead of at the next failed write. Do not read
    /// <see cref="Stream"/> after calling it.
    /// </summary>
    public void WatchForDisconnect() => _connection.WatchForDisconnect();

    /// <summary>The status of the head written with <see cref="WriteResponseHeadAsync"/>, for the access log.</summary>
    public int? ResponseStatus { get; private set; }

    /// <summary>
    /// Writes a response head — status line, Date, Server, then <paramref name="headers"/>
    /// (Connection included, e.g. "Upgrade") — and flushes it. Nothing is added for framing:
    /// after a 101 or an event-stream head the bytes that follow are the handler's protocol.
    /// </summary>
    public ValueTask WriteResponseHeadAsync(int status, HttpHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        ResponseStatus = status;
        return _connection.WriteTakeOverHeadAsync(status, headers ?? new HttpHeaders(0), State, cancellationToken);
    }
}
