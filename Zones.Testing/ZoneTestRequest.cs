using System.Net;
using System.Text;
using Zones.Http;
using Zones.Pipeline;
using Zones.RequestData;

namespace Zones.Testing;

/// <summary>
/// A request under construction. Each With… returns the same builder; <see cref="Build"/> parses
/// the request as the server would (a malformed one throws <see cref="BadHttpRequestException"/>
/// with the status the server would answer), and the RunAsync overloads run it.
/// </summary>
public sealed class ZoneTestRequest
{
    private readonly string _method;
    private readonly string _target;
    private readonly string _version;
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private byte[] _body = [];
    private IPEndPoint _remote = new(IPAddress.Loopback, 50000);
    private bool _https;

    internal ZoneTestRequest(string requestLine)
    {
        var parts = requestLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 3) throw new ArgumentException($"\"{requestLine}\" is not a request line: give \"METHOD /target\" or \"METHOD /target HTTP/1.0\"", nameof(requestLine));
        (_method, _target, _version) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : "HTTP/1.1");
    }

    /// <summary>Adds a header field (a repeated name adds another field, as on the wire).</summary>
    public ZoneTestRequest WithHeader(string name, string value)
    {
        _headers.Add(new(name, value));
        return this;
    }

    /// <summary>The body, with its Content-Length (and Content-Type when given).</summary>
    public ZoneTestRequest WithBody(byte[] body, string? contentType = null)
    {
        _body = body;
        return contentType is null ? this : WithHeader(HeaderNames.ContentType, contentType);
    }

    /// <summary>A UTF-8 text body (text/plain; charset=utf-8 unless <paramref name="contentType"/> says otherwise).</summary>
    public ZoneTestRequest WithBody(string body, string contentType = "text/plain; charset=utf-8") =>
        WithBody(Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>An application/x-www-form-urlencoded body of the given fields.</summary>
    public ZoneTestRequest WithForm(params (string Name, string Value)[] fields) =>
        WithBody(string.Join('&', fields.Select(f => $"{UrlEncoding.Encode(f.Name)}={UrlEncoding.Encode(f.Value)}")), "application/x-www-form-urlencoded");

    /// <summary>The client's address (default 127.0.0.1:50000), for handlers that check where a request comes from.</summary>
    public ZoneTestRequest WithRemote(IPAddress address, int port = 50000)
    {
        _remote = new IPEndPoint(address, port);
        return this;
    }

    /// <summary>As if the request came over an https:// listener.</summary>
    public ZoneTestRequest WithHttps()
    {
        _https = true;
        return this;
    }

    /// <summary>The request as a handler sees it.</summary>
    public HttpRequest Build()
    {
        var head = new StringBuilder($"{_method} {_target} {_version}\r\n");
        if (!_headers.Any(h => h.Key.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase))) head.Append("Host: localhost\r\n");
        foreach (var (name, value) in _headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (_body.Length > 0 && !_headers.Any(h => h.Key.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)))
            head.Append("Content-Length: ").Append(_body.Length).Append("\r\n");
        head.Append("\r\n");
        var request = HttpRequest.Parse(Encoding.UTF8.GetBytes(head.ToString()));
        request.RemoteEndPoint = _remote;
        request.LocalEndPoint = new IPEndPoint(IPAddress.Loopback, _https ? 443 : 80);
        request.IsHttps = _https;
        if (request.HasBody) request.Body = new MemoryStream(_body, writable: false);
        return request;
    }

    /// <summary>
    /// Runs one handler as the zone <paramref name="prefix"/> (with <paramref name="root"/>, for
    /// handlers that serve files) and returns what it answered: Pass, Next with its states, a
    /// response (rendered as the server would send it) or a take-over (start it with
    /// <see cref="ZoneTestResult.StartTakeOver"/>).
    /// </summary>
    public async Task<ZoneTestResult> RunAsync(IZoneHandler handler, string prefix = "/", string? root = null, IServiceProvider? services = null)
    {
        var connection = new TestConnection();
        var state = new ZoneState(Build());
        var zone = new Zone(prefix, handler, root is null ? null : Path.GetFullPath(root));
        var result = await handler.HandleAsync(new ZoneContext(state, zone, services, connection.Aborted, default, connection));
        return await ZoneTestResult.FromAsync(result, state, services, connection);
    }

    /// <summary>Runs the request through a table built from zones.json text (see <see cref="ZoneTest.Table"/>), with its services.</summary>
    public Task<ZoneTestResult> RunAsync(ZoneTestTable table) => RunAsync(table.Zones, table.Services);

    /// <summary>Runs the request through a whole table, as the server does: the first answer wins, none is 501.</summary>
    public async Task<ZoneTestResult> RunAsync(ZoneTable table, IServiceProvider? services = null)
    {
        var connection = new TestConnection();
        var (result, state) = await ZonePipeline.RunAsync(table, new ZoneState(Build()), services, connection.Aborted, default, connection);
        return await ZoneTestResult.FromAsync(result, state, services, connection);
    }
}
