namespace Zones;

/// <summary>
/// What a handler is given: one state seen through one zone. Besides the state it offers the
/// zone's view of the path — <see cref="Prefix"/>, <see cref="Suffix"/> and, when the zone has a
/// root, <see cref="FsPath"/> — as Wibble's handlers get prefix, suffix and fspath.
/// </summary>
/// <remarks>
/// Valid while its handler runs, and for the handler that answers, until its response has been
/// sent (a body written by a callback may use it) or its take-over has returned. Do not keep it
/// past that: a connection gives the same object, reset, to the next handler of the request and
/// to the handlers of its next request (see <see cref="HttpRequest"/> for the rule). Copy the
/// values you need, or keep the <see cref="State"/> within the request.
/// </remarks>
public sealed class ZoneContext
{
    private string? _suffix;
    private string? _fsPath;
    private bool _fsPathDone;
    private readonly IZoneConnection? _connection;

    /// <summary>A context outside a connection, for running a handler in a test or a tool; <see cref="WatchForDisconnect"/> then does nothing.</summary>
    /// <param name="state">The state the handler sees.</param>
    /// <param name="zone">The zone it is seen through: it gives <see cref="Prefix"/>, <see cref="Suffix"/> and <see cref="FsPath"/>.</param>
    /// <param name="services">The services handlers look up; none when null.</param>
    /// <param name="requestAborted">Becomes <see cref="RequestAborted"/>.</param>
    /// <param name="serverStopping">Becomes <see cref="ServerStopping"/>.</param>
    public ZoneContext(ZoneState state, Zone zone, IServiceProvider? services = null, CancellationToken requestAborted = default, CancellationToken serverStopping = default)
        : this(state, zone, services, requestAborted, serverStopping, connection: null)
    {
    }

    internal ZoneContext(ZoneState state, Zone zone, IServiceProvider? services, CancellationToken requestAborted, CancellationToken serverStopping, IZoneConnection? connection)
    {
        State = state;
        Zone = zone;
        _connection = connection;
        Services = services ?? NoServices.Instance;
        RequestAborted = requestAborted;
        ServerStopping = serverStopping;
    }

    /// <summary>
    /// The connection's context for the next handler call (see RequestReuse.cs): the state
    /// and zone change, the paths worked out from them are forgotten; services, tokens and
    /// connection are the connection's and stay.
    /// </summary>
    internal ZoneContext Reset(ZoneState state, Zone zone)
    {
        State = state;
        Zone = zone;
        _suffix = null;
        _fsPath = null;
        _fsPathDone = false;
        return this;
    }

    /// <summary>The state this handler decides about; a handler changes it only by returning a copy through <see cref="ZoneResult.Next(ZoneState[])"/>.</summary>
    public ZoneState State { get; private set; }

    /// <summary>The request, as it arrived (the state's <see cref="ZoneState.Path"/> may differ from <see cref="HttpRequest.Path"/> after a rewrite).</summary>
    public HttpRequest Request => State.Request;

    /// <summary>The zone the handler serves: prefix, root and name.</summary>
    public Zone Zone { get; private set; }

    /// <summary>The path being matched (the state's, possibly rewritten by an earlier handler).</summary>
    public string Path => State.Path;

    /// <summary>The zone's prefix as configured ("/static").</summary>
    public string Prefix => Zone.Prefix;

    /// <summary>The path after the zone's prefix: "" or a string that starts with '/'.</summary>
    public string Suffix => _suffix ??= Zone.SuffixOf(State.Path);

    /// <summary>
    /// The file-system path of <see cref="Suffix"/> under the zone's root, or null when the zone
    /// has no root or the path would leave it. Request paths are already free of dot segments;
    /// this check also covers paths rewritten by handlers.
    /// </summary>
    public string? FsPath
    {
        get
        {
            if (_fsPathDone) return _fsPath;
            _fsPathDone = true;
            return _fsPath = Zone.Root is { } root ? RootPath.Combine(root, Suffix) : null;
        }
    }

    /// <summary>The application's services, for handlers that look things up per request.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Cancelled when the client goes away or the server stops hard.</summary>
    public CancellationToken RequestAborted { get; }

    /// <summary>
    /// For a handler that waits without reading the request (a long poll): from now until the
    /// handler returns, the connection watches for the client hanging up and cancels
    /// <see cref="RequestAborted"/> at once when it does, instead of when the wait ends. A request
    /// with a body is not watched (its bytes are the handler's to read), nor one with another
    /// request already pipelined behind it. A take-over ends the watch.
    /// </summary>
    public void WatchForDisconnect() => _connection?.WatchForDisconnect();

    /// <summary>
    /// Cancelled when the server begins a graceful shutdown. A handler that waits (a long poll)
    /// should answer now rather than hold the shutdown up until its timeout.
    /// </summary>
    public CancellationToken ServerStopping { get; }
}
