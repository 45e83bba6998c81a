using System.Buffers;
using System.Text;
using Zones.Http;

namespace Zones.Handlers.Guards;

/// <summary>
/// The user and password of an <c>Authorization: Basic</c> header (RFC 7617): base64 of
/// <c>user:password</c> in UTF-8. RFC 7617's charset="UTF-8" asks the client to send both in
/// Unicode NFC form; they are compared as sent (the server runs with invariant globalization,
/// which does not normalize).
/// </summary>
internal readonly record struct BasicCredentials(string User, string Password)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What an Authorization header holds, for basicauth.</summary>
    public enum Outcome { Missing, OtherScheme, Malformed, Present }

    /// <summary>
    /// Reads the request's Authorization. Malformed: not base64, no ':', bad UTF-8, a control
    /// character, or the header sent twice — never the form a browser sends.
    /// </summary>
    public static Outcome Read(HttpHeaders headers, out BasicCredentials credentials)
    {
        credentials = default;
        var count = headers.CountOf(HeaderNames.Authorization);
        if (count == 0) return Outcome.Missing;
        if (count > 1) return Outcome.Malformed;
        var value = headers[HeaderNames.Authorization]!.AsSpan().Trim();
        if (!AuthorizationScheme.Is(value, "Basic", out var token)) return Outcome.OtherScheme;

        var buffer = ArrayPool<byte>.Shared.Rent((token.Length + 3) / 4 * 3);
        try
        {
            if (!Convert.TryFromBase64Chars(token, buffer, out var length)) return Outcome.Malformed;
            string text;
            try { text = StrictUtf8.GetString(buffer, 0, length); }
            catch (DecoderFallbackException) { return Outcome.Malformed; }
            var colon = text.IndexOf(':');
            if (colon < 0 || text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.Contains('\u007f')) return Outcome.Malformed;
            credentials = new BasicCredentials(text[..colon], text[(colon + 1)..]);
            return Outcome.Present;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
