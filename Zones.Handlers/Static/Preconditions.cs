using Zones.Http;

namespace Zones.Handlers.Static;

internal enum PreconditionOutcome
{
    /// <summary>Send the representation (or the ranges asked for).</summary>
    Proceed,
    /// <summary>304: the client's copy is current.</summary>
    NotModified,
    /// <summary>412: the client expected another version.</summary>
    Failed,
}

/// <summary>
/// The conditional headers, evaluated in the order of RFC 9110 §13.2.2: If-Match, else
/// If-Unmodified-Since; then If-None-Match, else If-Modified-Since (GET and HEAD only).
/// Dates compare in whole seconds, as HTTP dates carry no finer time.
/// </summary>
internal static class Preconditions
{
    /// <param name="request">The request whose conditional headers are evaluated.</param>
    /// <param name="etag">The selected representation's tag.</param>
    /// <param name="lastModified">Its modification time, or null when it is not sent (the validator does not apply).</param>
    public static PreconditionOutcome Evaluate(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var headers = request.Headers;
        var modified = lastModified is { } time ? HttpDate.TruncateToSeconds(time) : (DateTimeOffset?)null;

        var ifMatch = headers.GetValues(HeaderNames.IfMatch);
        if (ifMatch.Count > 0)
        {
            if (!EntityTag.ListMatches(ifMatch, etag, weak: false)) return PreconditionOutcome.Failed;
        }
        else if (modified is { } m1 && SingleDate(headers, HeaderNames.IfUnmodifiedSince) is { } unmodifiedSince && m1 > unmodifiedSince)
        {
            return PreconditionOutcome.Failed;
        }

        var readOnly = ReadOnlyMethods.Allow(request);
        var ifNoneMatch = headers.GetValues(HeaderNames.IfNoneMatch);
        if (ifNoneMatch.Count > 0)
        {
            if (EntityTag.ListMatches(ifNoneMatch, etag, weak: true))
                return readOnly ? PreconditionOutcome.NotModified : PreconditionOutcome.Failed;
        }
        else if (readOnly && modified is { } m2 && SingleDate(headers, HeaderNames.IfModifiedSince) is { } modifiedSince && m2 <= modifiedSince)
        {
            return PreconditionOutcome.NotModified;
        }
        return PreconditionOutcome.Proceed;
    }

    /// <summary>
    /// If-Range (RFC 9110 §13.1.5): true when the Range may be honoured — no If-Range, or it names
    /// the current representation: its entity tag by strong comparison, or exactly its Last-Modified
    /// date. Anything else means "send the whole thing".
    /// </summary>
    public static bool RangeAllowed(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var values = request.Headers.GetValues(HeaderNames.IfRange);
        if (values.Count == 0) return true;
        if (values.Count > 1) return false;
        var value = values[0].Trim();
        if (value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal)) return EntityTag.StrongEquals(value, etag);
        return lastModified is { } time && HttpDate.TryParse(value, out var date) && HttpDate.TruncateToSeconds(time) == date;
    }

    // A date field with more than one value, or one that does not parse, is ignored (RFC 9110 §13.1.3, §13.1.4).
    private static DateTimeOffset? SingleDate(HttpHeaders headers, string name)
    {
        var values = headers.GetValues(name);
        return values.Count == 1 && HttpDate.TryParse(values[0], out var date) ? date : null;
    }
}
