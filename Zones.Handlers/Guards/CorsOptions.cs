namespace Zones.Handlers.Guards;

/// <summary>The cors zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class CorsOptions : IZoneOptionsValidation
{
    /// <summary>Origins whose pages may read responses: exact, "https://*.example.com", or "*".</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Methods a preflight may ask for; empty: GET, HEAD, POST. "*": any.</summary>
    public List<string> AllowedMethods { get; set; } = [];

    /// <summary>Request headers a preflight may ask for (beyond the CORS-safelisted ones); "*": any.</summary>
    public List<string> AllowedHeaders { get; set; } = [];

    /// <summary>Response headers the page's script may read besides the safelisted ones (Access-Control-Expose-Headers).</summary>
    public List<string> ExposedHeaders { get; set; } = [];

    /// <summary>Let pages send cookies and HTTP authentication (fetch's credentials: "include"); needs listed origins, not "*".</summary>
    public bool AllowCredentials { get; set; }

    /// <summary>How long a browser may keep a preflight's answer (Access-Control-Max-Age); null: the browser's default (5 s in Chromium).</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (AllowedOrigins.Count == 0) yield return "cors needs \"AllowedOrigins\": [ \"https://app.example.com\" ] (or [ \"*\" ] for any origin)";
        foreach (var origin in AllowedOrigins)
            if (OriginList.Problem(origin) is { } problem) yield return $"\"AllowedOrigins\": {problem}";
        if (AllowCredentials && AllowedOrigins.Contains("*"))
            yield return "\"AllowCredentials\": true with \"*\" would let every site act as its visitors; list the origins instead";
        foreach (var (key, list) in new[] { ("AllowedMethods", AllowedMethods), ("AllowedHeaders", AllowedHeaders), ("ExposedHeaders", ExposedHeaders) })
            foreach (var name in list)
                if (name != "*" && !Zones.Http.HttpCharacters.IsToken(name)) yield return $"\"{key}\": \"{name}\" is not a method or header name";
        if (MaxAge is { } age && (age < TimeSpan.Zero || age > TimeSpan.FromDays(1)))
            yield return $"\"MaxAge\" {age} must lie between 00:00:00 and 1.00:00:00 (browsers cap it at hours anyway)";
    }
}
