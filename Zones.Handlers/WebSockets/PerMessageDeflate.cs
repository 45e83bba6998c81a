using System.Net.WebSockets;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// RFC 7692 permessage-deflate negotiation on the server side: the first acceptable offer in
/// Sec-WebSocket-Extensions is taken with its parameters honoured; offers this server cannot
/// honour are declined (skipped), never answered with an error.
/// </summary>
internal static class PerMessageDeflate
{
    public const string Name = "permessage-deflate";

    /// <summary>The agreed settings and the response's Sec-WebSocket-Extensions value, or null when no offer is acceptable.</summary>
    public static (WebSocketDeflateOptions Options, string Response)? Negotiate(IReadOnlyList<string> extensionHeaders)
    {
        foreach (var header in extensionHeaders)
        {
            foreach (var offer in SplitOutsideQuotes(header, ','))
            {
                var parameters = SplitOutsideQuotes(offer, ';').Select(p => p.Trim(' ', '\t')).ToList();
                // An empty list element (", ," — allowed by the list grammar) is no offer at all.
                if (parameters.Count == 0 || !parameters[0].Equals(Name, StringComparison.OrdinalIgnoreCase)) continue;
                if (TryAccept(parameters.Skip(1), out var accepted)) return accepted;
            }
        }
        return null;
    }

    private static bool TryAccept(IEnumerable<string> parameters, out (WebSocketDeflateOptions, string) accepted)
    {
        accepted = default;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool serverNoContext = false, clientNoContext = false;
        int? serverBits = null, clientBits = null;
        foreach (var parameter in parameters)
        {
            var eq = parameter.IndexOf('=');
            var name = (eq < 0 ? parameter : parameter[..eq]).Trim(' ', '\t');
            string? value = null;
            if (eq >= 0 && (value = Unquote(parameter[(eq + 1)..].Trim(' ', '\t'))) is null) return false;
            if (name.Length == 0 || !seen.Add(name)) return false; // a repeated parameter declines the offer
            switch (name.ToLowerInvariant())
            {
                case "server_no_context_takeover" when value is null:
                    serverNoContext = true;
                    break;
                case "client_no_context_takeover" when value is null:
                    clientNoContext = true;
                    break;
                case "server_max_window_bits" when WindowBits(value) is { } bits:
                    // zlib cannot deflate with an 8-bit window (it silently uses 9): decline rather than break the promise.
                    if (bits < 9) return false;
                    serverBits = bits;
                    break;
                case "client_max_window_bits" when value is null || WindowBits(value) is not null:
                    // With a value the client promises a window no larger; echoing it keeps clients
                    // that insist on an answer (.NET's) happy. Inflating needs a window at least as large.
                    clientBits = value is null ? null : WindowBits(value);
                    break;
                default:
                    return false; // unknown parameter or invalid value
            }
        }

        var options = new WebSocketDeflateOptions
        {
            ClientMaxWindowBits = Math.Max(clientBits ?? 15, 9),
            ClientContextTakeover = !clientNoContext,
            ServerMaxWindowBits = serverBits ?? 15,
            ServerContextTakeover = !serverNoContext,
        };
        var response = Name;
        if (serverNoContext) response += "; server_no_context_takeover";
        if (clientNoContext) response += "; client_no_context_takeover";
        if (serverBits is { } b) response += "; server_max_window_bits=" + b;
        if (clientBits is { } c) response += "; client_max_window_bits=" + c;
        accepted = (options, response);
        return true;
    }

    /// <summary>8 to 15 written as plain digits, else null.</summary>
    private static int? WindowBits(string? value) =>
        value is { Length: 1 or 2 } && value[0] != '0' && value.All(char.IsAsciiDigit) && int.Parse(value) is var bits and >= 8 and <= 15
            ? bits
            : null;

    private static string? Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value.Contains('"') ? null : value;

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts.Where(p => p.Trim(' ', '\t').Length > 0).ToList();
    }
}
