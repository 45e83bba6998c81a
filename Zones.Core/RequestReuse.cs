using System.Buffers;
using Zones.Http;

namespace Zones;

/// <summary>
/// What a keep-alive connection keeps from one request for the next, as Kestrel keeps its
/// HttpProtocol and header collections: the <see cref="HttpRequest"/> with its header list, the
/// <see cref="ZoneContext"/> handlers are given, and the request's first <see cref="ZoneState"/>.
/// A plaintext request then allocates nothing of the server's own.
/// <para>
/// The rule handlers live by (README, "Writing a handler"): these objects are valid until the
/// request ends — its response sent, or its take-over returned. After a response the connection
/// resets them for its next request (<see cref="HttpRequest.Reset"/>, <see cref="ZoneContext.Reset"/>),
/// so a handler that kept one sees the next request, never a mix, and the next request sees
/// nothing of the last. After a take-over they are never reused: a WebSocket or event stream
/// handler may hold them for as long as it runs and after, so the next request (a take-over may
/// hand the connection back) gets new ones.
/// </para>
/// </summary>
internal sealed class RequestReuse(IServiceProvider services, CancellationToken requestAborted, CancellationToken serverStopping, IZoneConnection connection)
{
    private HttpRequest? _request;   // the last request's object, to carry the next one; null after a take-over
    private ZoneContext? _context;
    private ZoneState? _firstState;

    /// <summary>Parses the next request head into the last request's object, or into a new one.</summary>
    public HttpRequest Next(in ReadOnlySequence<byte> head, HeaderValueCache cache)
    {
        // The last request is over (its response is sent, what it registered disposed): its
        // header list and object can be emptied and filled again.
        var parsed = RequestHeadParser.Parse(head, cache, _request?.Headers);
        if (_request is null) _request = new HttpRequest(parsed);
        else _request.Reset(parsed);
        return _request;
    }

    /// <summary>
    /// The request's first state. A state is immutable, and the first one holds only the request
    /// and its path: when both are the same objects as last time (the same target, reused by the
    /// header cache), the last first state is this one too.
    /// </summary>
    public ZoneState FirstState(HttpRequest request)
    {
        if (_firstState is { } last && ReferenceEquals(last.Request, request) && ReferenceEquals(last.Path, request.Path)) return last;
        return _firstState = new ZoneState(request);
    }

    /// <summary>The context for one handler call: the connection's one, reset to <paramref name="state"/> seen through <paramref name="zone"/>.</summary>
    public ZoneContext Context(ZoneState state, Zone zone) =>
        _context?.Reset(state, zone) ?? (_context = new ZoneContext(state, zone, services, requestAborted, serverStopping, connection));

    /// <summary>A take-over has the request now: the next request gets new objects.</summary>
    public void GiveUp()
    {
        _request = null;
        _context = null;
        _firstState = null;
    }
}
