using System.Globalization;
using System.Text;
using Zones.RequestData;

namespace Zones.Server;

/// <summary>
/// What the access log writes of a request that came from a client: the user a guard zone
/// checked (Common Log Format's authuser, "-" for none) and the request line with an
/// <c>access_token</c> query value hidden.
/// </summary>
internal static class AccessLogFields
{
    private const string TokenName = "access_token";
    private const string TokenParameter = TokenName + "=";

    /// <summary>
    /// The user, with space, '"', '%' and control characters percent-encoded so that a UTF-8 name
    /// such as "ana maria" still leaves the line one field per space; "-" when there is none.
    /// </summary>
    public static string User(string? user)
    {
        if (string.IsNullOrEmpty(user)) return "-";
        if (!user.AsSpan().ContainsAny(Escaped) && !HasControl(user)) return user;
        var escaped = new StringBuilder(user.Length + 8);
        foreach (var c in user)
        {
            if (c <= ' ' || c is '"' or '%' or '\u007f') escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(" \"%\u007f");

    private static bool HasControl(string text)
    {
        foreach (var c in text) if (c < ' ') return true;
        return false;
    }

    /// <summary>
    /// The request line, with the value of an <c>access_token</c> query parameter (RFC 6750 §2.3:
    /// how WebSocket and EventSource clients, which cannot set headers, send a bearer token)
    /// replaced by "***": a log is no place for a credential. The name is judged percent-decoded,
    /// as the query parser (and so bearer) reads it: <c>access%5Ftoken=</c> is hidden too.
    /// </summary>
    public static string RequestLine(HttpRequest request) => RequestLine(request.Method, request.Target, request.Protocol);

    /// <inheritdoc cref="RequestLine(HttpRequest)"/>
    public static string RequestLine(string method, string target, string protocol)
    {
        var line = $"{method} {target} {protocol}";
        if (!MayHoldToken(target)) return line;
        var query = line.IndexOf('?');
        var end = line.LastIndexOf(' ');
        var hidden = new StringBuilder(line.Length);
        hidden.Append(line, 0, query + 1);
        foreach (var parameter in line[(query + 1)..end].Split('&'))
        {
            if (hidden[^1] != '?') hidden.Append('&');
            var equals = parameter.IndexOf('=');
            var isToken = equals >= 0 && UrlEncoding.Decode(parameter.AsSpan(0, equals)).Equals(TokenName, StringComparison.OrdinalIgnoreCase);
            hidden.Append(isToken ? parameter[..(equals + 1)] + "***" : parameter);
        }
        return hidden.Append(line, end, line.Length - end).ToString();
    }

    /// <summary>False when the request line can be logged as it is: the query of <paramref name="target"/> (after its first '?', as the parser splits it) names no <c>access_token</c>, even percent-encoded.</summary>
    public static bool MayHoldToken(string target)
    {
        var question = target.IndexOf('?');
        if (question < 0) return false;
        var query = target.AsSpan(question + 1);
        return query.Contains(TokenParameter, StringComparison.OrdinalIgnoreCase) || query.Contains('%');
    }
}
