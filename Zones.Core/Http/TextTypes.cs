namespace Zones.Http;

/// <summary>
/// The one rule for which media types are text: text/*, JSON and XML (and their +json/+xml
/// kin) and JavaScript. Zones sends text as UTF-8, so such a type without a charset is labelled
/// "; charset=utf-8" — by ZoneResponse.Text and by the static-file type table alike.
/// </summary>
public static class TextTypes
{
    /// <summary>True when <paramref name="mediaType"/> (parameters allowed, case ignored) is one of the text types above.</summary>
    public static bool IsText(string mediaType)
    {
        var type = Essence(mediaType);
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("/xml", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-javascript", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/ecmascript", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The type with "; charset=utf-8" added when it is text and names no charset.</summary>
    public static string WithUtf8Charset(string mediaType) =>
        IsText(mediaType) && !mediaType.Contains("charset=", StringComparison.OrdinalIgnoreCase) ? mediaType + "; charset=utf-8" : mediaType;

    /// <summary>"type/subtype" without parameters.</summary>
    public static string Essence(string mediaType)
    {
        var semicolon = mediaType.IndexOf(';');
        return (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
    }
}
