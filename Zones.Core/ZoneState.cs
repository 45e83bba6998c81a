using System.Collections.Immutable;

using Zones.Http;

namespace Zones;

/// <summary>
/// The value that flows from handler to handler (Wibble's state dictionary): the request, the
/// path as rewritten so far, the provisional response headers, and free-form items. It is
/// immutable; a handler that wants to change it returns a changed copy through
/// <see cref="ZoneResult.Next(ZoneState[])"/>, e.g. <c>state with { Path = "/dir/index.html" }</c>.
/// </summary>
public sealed record ZoneState
{
    /// <summary>The first state of a request: its path, no provisional headers, no items.</summary>
    public ZoneState(HttpRequest request)
    {
        Request = request;
        Path = request.Path;
    }

    /// <summary>
    /// The request this state belongs to; every alternative of it shares the same one. Valid until
    /// the request ends, like the request itself: a state kept past that shows, through this, the
    /// connection's next request (see <see cref="HttpRequest"/>).
    /// </summary>
    public HttpRequest Request { get; }

    /// <summary>The path zones match against; starts as the request path, handlers may rewrite it.</summary>
    public string Path { get; init; }

    /// <summary>
    /// Headers the eventual response will carry unless it sets its own (contenttype puts
    /// Content-Type here). Checked when set, as response headers are: CR, LF or NUL throws.
    /// </summary>
    public ImmutableList<KeyValuePair<string, string>> ResponseHeaders
    {
        get => _responseHeaders;
        init
        {
            foreach (var (name, headerValue) in value) HttpHeaders.Validate(name, headerValue);
            _responseHeaders = value;
        }
    }

    // Not readonly: the With… methods below set it on their fresh copy, having checked only what
    // they add (the rest was checked when it came in), instead of the init checking every field again.
    private ImmutableList<KeyValuePair<string, string>> _responseHeaders = [];

    /// <summary>
    /// Header names the eventual response will not carry (a headers zone's Remove): left out of
    /// the answering handler's own headers and the listener's (Server). Provisional headers set
    /// after the removal are sent, so removing and then setting a name replaces it.
    /// </summary>
    public ImmutableHashSet<string> RemovedResponseHeaders { get; init; } = NoNames;

    // Shared, so a request whose zones remove nothing allocates no set of its own.
    private static readonly ImmutableHashSet<string> NoNames = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Who the request is from, once a guard zone (basicauth, bearer) has checked it: the user
    /// name, or the token's name. Null until then. Later handlers read it, and the access log
    /// writes it after the client's address.
    /// </summary>
    public string? User { get; init; }

    /// <summary>Anything a handler wants to leave for a later one.</summary>
    public ImmutableDictionary<string, object?> Items { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>A copy with one provisional response header set (replacing an earlier one of that name).</summary>
    public ZoneState WithResponseHeader(string name, string value)
    {
        HttpHeaders.Validate(name, value);
        var copy = this with { };
        copy._responseHeaders = _responseHeaders.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Add(new(name, value));
        return copy;
    }

    /// <summary>A copy whose response will not carry <paramref name="name"/>, whoever set it so far (see <see cref="RemovedResponseHeaders"/>).</summary>
    public ZoneState WithoutResponseHeader(string name)
    {
        var copy = this with { RemovedResponseHeaders = RemovedResponseHeaders.Add(name) };
        copy._responseHeaders = _responseHeaders.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        return copy;
    }

    /// <summary>The provisional value of a response header, or null.</summary>
    public string? ResponseHeader(string name)
    {
        foreach (var (key, value) in ResponseHeaders)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    /// <summary>A copy with the item <paramref name="key"/> set to <paramref name="value"/>, for passing a value to later handlers (keys compare ordinally).</summary>
    public ZoneState WithItem(string key, object? value) => this with { Items = Items.SetItem(key, value) };
}
