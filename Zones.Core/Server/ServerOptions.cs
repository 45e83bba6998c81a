using Zones.Tls;

namespace Zones.Server;

/// <summary>The "Server" section of zones.json.</summary>
public sealed class ServerOptions
{
    /// <summary>Where to listen: "http://127.0.0.1:8080", "http://[::1]:8080", "http://0.0.0.0:80", "https://0.0.0.0:443". Port 0 picks a free port.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>More listeners, each with TLS settings of its own (mutual TLS, HSTS) over those of <see cref="Tls"/>.</summary>
    public List<EndpointOptions> Endpoints { get; set; } = [];

    /// <summary>
    /// A URL list as ASP.NET Core's --urls gives it, "http://127.0.0.1:8080;http://[::1]:8080";
    /// null when it holds none, and <see cref="Urls"/> stands.
    /// </summary>
    internal static string[]? UrlList(string? list) =>
        string.IsNullOrWhiteSpace(list) ? null : list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The certificates and TLS defaults of every https:// listener.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>Sizes, counts and timeouts that bound what a client may make the server hold (Kestrel's defaults).</summary>
    public ServerLimits Limits { get; set; } = new();

    /// <summary>The Server header's value; empty sends none.</summary>
    public string ServerHeader { get; set; } = "Zones";

    /// <summary>On shutdown, how long in-flight requests may take to finish before their connections are cut.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where Zones writes the access log itself — a file, appended to (relative to zones.json), or
    /// "-" for standard output — buffered and formatted off the request path, one line per
    /// request with the time in front. Null (the default) sends each line through the logger as
    /// category "Zones.Access" instead, where the Logging section decides about it.
    /// </summary>
    public string? AccessLog { get; set; }

    /// <summary>
    /// The listeners a server binds, in order: one per <see cref="Urls"/> entry
    /// (http://127.0.0.1:8080 when there is none), then <see cref="Endpoints"/>. The server and
    /// the start-up check both go by it, so the check judges what will really be bound.
    /// </summary>
    internal List<EndpointOptions> Listeners() =>
        [.. (Urls.Count > 0 ? Urls : ["http://127.0.0.1:8080"]).Select(u => new EndpointOptions { Url = u }), .. Endpoints];

    /// <summary>Makes every certificate and authority path, and the access log's, absolute against <paramref name="folder"/>.</summary>
    public void ResolvePaths(string folder)
    {
        if (AccessLog is { Length: > 0 } log && log != "-") AccessLog = Path.GetFullPath(log, folder);
        Tls = Tls.ResolvedAgainst(folder);
        foreach (var endpoint in Endpoints)
        {
            if (endpoint.ClientCertificateAuthority is { } authority) endpoint.ClientCertificateAuthority = Path.GetFullPath(authority, folder);
        }
    }
}
