using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>The headers zone's options (the zone's keys in zones.json beside Prefix and Handler).</summary>
public sealed class HeadersOptions : IZoneOptionsValidation
{
    /// <summary>Name → value on every response of the zone, unless the handler that answers sets its own.</summary>
    public Dictionary<string, string> Set { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names taken out of every response of the zone, whoever set them; a name also in Set is replaced by that value.</summary>
    public List<string> Remove { get; set; } = [];

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ZoneInfo zone)
    {
        if (Set.Count == 0 && Remove.Count == 0)
            yield return "headers needs \"Set\": { \"X-Content-Type-Options\": \"nosniff\" } or \"Remove\": [ \"X-Powered-By\" ]";
        foreach (var (name, value) in Set)
        {
            if (OwnedElsewhere(name) is { } owner) yield return $"\"Set\": \"{name}\" {owner}";
            else if (Problem(name, value ?? "") is { } problem) yield return $"\"Set\": \"{name}\" {problem}";
        }
        foreach (var name in Remove)
        {
            if (name is "" || !HttpCharacters.IsToken(name)) yield return $"\"Remove\": \"{name}\" is not a header name";
            else if (IsFraming(name)) yield return $"\"Remove\": \"{name}\" is the server's own (framing and connection) and cannot be removed";
        }
    }

    private static string? OwnedElsewhere(string name) =>
        IsFraming(name) ? "is the server's own (framing and connection) and cannot be set"
        : name.Equals(HeaderNames.Server, StringComparison.OrdinalIgnoreCase) ? "comes from \"Server\": { \"ServerHeader\": \"…\" }; set it there"
        : name.Equals(HeaderNames.StrictTransportSecurity, StringComparison.OrdinalIgnoreCase) ? "comes from \"Server\": { \"Tls\": { \"Hsts\": { … } } }, which sends it over TLS only; set it there"
        : null;

    private static bool IsFraming(string name) =>
        name.Equals(HeaderNames.Date, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase);

    private static string? Problem(string name, string value) =>
        name is "" || !HttpCharacters.IsToken(name) ? "is not a header name"
        : value.AsSpan().ContainsAnyInRange('\0', '\u0008') || value.AsSpan().ContainsAnyInRange('\n', '\u001f') || value.Contains('\u007f')
            ? "has a control character in its value, which cannot be sent safely"
        : null;
}
