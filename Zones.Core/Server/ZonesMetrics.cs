using System.Diagnostics.Metrics;

namespace Zones.Server;

/// <summary>
/// The server's counters on the "Zones" meter, readable with dotnet-counters
/// (<c>dotnet-counters monitor -n Zones.Host --counters Zones</c>) or a MeterListener.
/// </summary>
internal sealed class ZonesMetrics : IDisposable
{
    public const string MeterName = "Zones";

    private readonly Meter _meter;

    /// <summary>This server's meter (each server has its own, all named <see cref="MeterName"/>).</summary>
    public Meter Meter => _meter;
    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _currentConnections;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _takeOvers;

    public ZonesMetrics()
    {
        _meter = new Meter(MeterName);
        _connections = _meter.CreateCounter<long>("zones.connections.total", "{connection}", "Connections accepted");
        _currentConnections = _meter.CreateUpDownCounter<long>("zones.connections.current", "{connection}", "Connections open now");
        _rejected = _meter.CreateCounter<long>("zones.connections.rejected", "{connection}", "Connections refused because MaxConnections was reached");
        _requests = _meter.CreateCounter<long>("zones.requests", "{request}", "Requests parsed");
        _responses = _meter.CreateCounter<long>("zones.responses", "{response}", "Responses sent, tagged by status class");
        _bytesSent = _meter.CreateCounter<long>("zones.bytes.sent", "By", "Response body bytes sent");
        _takeOvers = _meter.CreateCounter<long>("zones.takeovers", "{connection}", "Connections taken over by a handler");
    }

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    internal void ConnectionOpened() { _connections.Add(1); _currentConnections.Add(1); }
    internal void ConnectionClosed() => _currentConnections.Add(-1);
    internal void ConnectionRejected() => _rejected.Add(1);
    internal void RequestStarted() => _requests.Add(1);
    internal void TakeOverStarted() => _takeOvers.Add(1);

    internal void ResponseSent(int status, long bytes)
    {
        var index = Math.Clamp(status / 100 - 1, 0, 4);
        _responses.Add(1, new KeyValuePair<string, object?>("status_class", StatusClasses[index]));
        if (bytes > 0) _bytesSent.Add(bytes);
    }

    public void Dispose() => _meter.Dispose();
}
