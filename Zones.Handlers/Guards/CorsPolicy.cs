using System.Globalization;
using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>A cors zone's options made ready to answer: the origin list, what a preflight may ask for, and the headers to send.</summary>
internal sealed class CorsPolicy
{
    private static readonly string[] DefaultMethods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post];

    private readonly CorsOptions _options;
    private readonly HashSet<string> _methods;
    private readonly HashSet<string> _headers;
    private readonly string _allowMethods;
    private readonly string? _exposed;

    public CorsPolicy(CorsOptions options)
    {
        _options = options;
        Origins = new OriginList(options.AllowedOrigins);
        _methods = new HashSet<string>(options.AllowedMethods.Count > 0 ? options.AllowedMethods : DefaultMethods, StringComparer.Ordinal);
        _headers = new HashSet<string>(options.AllowedHeaders, StringComparer.OrdinalIgnoreCase);
        _allowMethods = string.Join(", ", _methods);
        _exposed = options.ExposedHeaders.Count > 0 ? string.Join(", ", options.ExposedHeaders) : null;
        // "*" without credentials answers every origin alike; otherwise the answer names the
        // origin, and caches must keep one per origin.
        VariesByOrigin = !Origins.AllowsAny || options.AllowCredentials;
    }

    public OriginList Origins { get; }

    public bool VariesByOrigin { get; }

    private string AllowOrigin(string origin) => VariesByOrigin ? origin : "*";

    /// <summary>The state with the actual response's CORS headers provisional.</summary>
    public ZoneState WithResponseHeaders(ZoneState state, string origin)
    {
        state = state.WithResponseHeader(CorsHeaders.AllowOrigin, AllowOrigin(origin));
        if (_options.AllowCredentials) state = state.WithResponseHeader(CorsHeaders.AllowCredentials, "true");
        if (_exposed is not null) state = state.WithResponseHeader(CorsHeaders.ExposeHeaders, _exposed);
        return state;
    }

    /// <summary>204 with what the preflight asked for, or 403 naming what is not allowed.</summary>
    public ZoneResponse Preflight(HttpRequest request, string origin)
    {
        var method = request.Headers[CorsHeaders.RequestMethod]!.Trim();
        if (!_methods.Contains("*") && !_methods.Contains(method))
            return ZoneResponse.ForStatus(403, $"The method {method} is not allowed from other origins here.");
        var asked = (request.Headers[CorsHeaders.RequestHeaders] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!_headers.Contains("*") && asked.FirstOrDefault(h => !_headers.Contains(h)) is { } refused)
            return ZoneResponse.ForStatus(403, $"The request header {refused} is not allowed from other origins here.");

        var response = new ZoneResponse(204)
            .WithHeader(CorsHeaders.AllowOrigin, AllowOrigin(origin))
            .WithHeader(CorsHeaders.AllowMethods, _methods.Contains("*") ? method : _allowMethods)
            .WithHeader(HeaderNames.Vary, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (asked.Length > 0) response.WithHeader(CorsHeaders.AllowHeaders, string.Join(", ", asked));
        if (_options.AllowCredentials) response.WithHeader(CorsHeaders.AllowCredentials, "true");
        if (_options.MaxAge is { } age) response.WithHeader(CorsHeaders.MaxAge, ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>The state with <paramref name="name"/> added to its provisional Vary list.</summary>
    public static ZoneState WithVary(ZoneState state, string name) =>
        state.ResponseHeader(HeaderNames.Vary) is { } vary
            ? (HeaderTokens.Contains(vary, name) ? state : state.WithResponseHeader(HeaderNames.Vary, vary + ", " + name))
            : state.WithResponseHeader(HeaderNames.Vary, name);
}
