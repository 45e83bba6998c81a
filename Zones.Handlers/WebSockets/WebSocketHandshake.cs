using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Zones.Http;

namespace Zones.Handlers.WebSockets;

/// <summary>
/// The server's half of RFC 6455 §4.2: checks an opening handshake and works out the
/// 101 response, or the error that refuses it (400 with the reason, 403 for a foreign Origin,
/// 426 with the supported version).
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>The GUID RFC 6455 appends to Sec-WebSocket-Key before hashing.</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public const string SupportedVersion = "13";

    /// <summary>The request asks for a WebSocket: its Upgrade field lists the token "websocket".</summary>
    public static bool IsUpgradeRequest(HttpRequest request) => request.Headers.HasToken("Upgrade", "websocket");

    /// <summary>426 Upgrade Required: what a plain request to a WebSocket zone gets.</summary>
    public static ZoneResponse UpgradeRequired(string detail) =>
        ZoneResponse.ForStatus(426, detail)
            .WithHeader("Upgrade", "websocket")
            .WithHeader("Sec-WebSocket-Version", SupportedVersion);

    public static HandshakeOutcome Check(HttpRequest request, WebSocketZoneOptions options)
    {
        if (request.Method != HttpMethods.Get)
            return Reject(400, $"A WebSocket handshake must be a GET request, not {request.Method}.");
        if (request.Version != HttpVersion.Http11)
            return Reject(400, "A WebSocket handshake needs HTTP/1.1.");
        if (!request.Headers.HasToken("Connection", "Upgrade"))
            return Reject(400, "The Connection header must list the token \"Upgrade\".");
        if (request.HasBody)
            return Reject(400, "A WebSocket handshake must not carry a body.");

        var versions = request.Headers.GetValues("Sec-WebSocket-Version");
        if (versions.Count != 1 || versions[0].Trim(' ', '\t') != SupportedVersion)
        {
            var detail = versions.Count == 0 ? "Sec-WebSocket-Version is missing" : $"Sec-WebSocket-Version \"{string.Join(", ", versions)}\" is not supported";
            return new HandshakeOutcome(UpgradeRequired($"{detail}; this server speaks version {SupportedVersion}."));
        }

        var keys = request.Headers.GetValues("Sec-WebSocket-Key");
        if (keys.Count != 1)
            return Reject(400, keys.Count == 0 ? "Sec-WebSocket-Key is missing." : "Sec-WebSocket-Key appears more than once.");
        var key = keys[0].Trim(' ', '\t');
        if (!IsValidKey(key))
            return Reject(400, "Sec-WebSocket-Key must be 16 bytes in base64 (24 characters).");

        var origin = request.Headers["Origin"];
        if (origin is not null && !OriginAllowed(origin, options.AllowedOrigins))
            return new HandshakeOutcome(ZoneResponse.ForStatus(403, $"Origin \"{origin}\" may not open a WebSocket here."));

        var subProtocol = SelectSubProtocol(request.Headers.GetValues("Sec-WebSocket-Protocol"), options.SubProtocols);
        var deflate = options.Compression ? PerMessageDeflate.Negotiate(request.Headers.GetValues("Sec-WebSocket-Extensions")) : null;

        var headers = new HttpHeaders(5)
        {
            { "Upgrade", "websocket" },
            { "Connection", "Upgrade" },
            { "Sec-WebSocket-Accept", ComputeAccept(key) },
        };
        if (subProtocol is not null) headers.Add("Sec-WebSocket-Protocol", subProtocol);
        if (deflate is { } d) headers.Add("Sec-WebSocket-Extensions", d.Response);
        return new HandshakeOutcome(new AcceptedHandshake(headers, subProtocol, deflate?.Options));
    }

    /// <summary>base64(SHA-1(key + GUID)), the proof that the server read this handshake.</summary>
    public static string ComputeAccept(string key)
    {
        Span<byte> input = stackalloc byte[key.Length + KeyGuid.Length];
        Encoding.ASCII.GetBytes(key, input);
        Encoding.ASCII.GetBytes(KeyGuid, input[key.Length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        return Convert.ToBase64String(hash);
    }

    private static bool IsValidKey(string key)
    {
        if (key.Length != 24 || key.AsSpan().ContainsAny(" \t\r\n")) return false;
        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static bool OriginAllowed(string origin, List<string> allowed)
    {
        if (allowed.Count == 0) return true;
        var wanted = origin.Trim().TrimEnd('/');
        foreach (var entry in allowed)
        {
            if (entry == "*" || entry.Trim().TrimEnd('/').Equals(wanted, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The first protocol the client lists that the zone speaks; subprotocol names are compared exactly.</summary>
    private static string? SelectSubProtocol(IReadOnlyList<string> requested, List<string> supported)
    {
        if (supported.Count == 0) return null;
        foreach (var header in requested)
        {
            foreach (var candidate in HeaderTokens.Split(header))
            {
                if (supported.Contains(candidate, StringComparer.Ordinal)) return candidate;
            }
        }
        return null;
    }

    private static HandshakeOutcome Reject(int status, string reason) => new(ZoneResponse.ForStatus(status, reason));
}

/// <summary>Either the response that refuses the handshake, or what the 101 carries and the socket needs.</summary>
internal readonly struct HandshakeOutcome
{
    public HandshakeOutcome(ZoneResponse rejection) => Rejection = rejection;

    public HandshakeOutcome(AcceptedHandshake accepted) => Accepted = accepted;

    public ZoneResponse? Rejection { get; }

    public AcceptedHandshake? Accepted { get; }
}

internal sealed record AcceptedHandshake(HttpHeaders ResponseHeaders, string? SubProtocol, WebSocketDeflateOptions? Deflate);
