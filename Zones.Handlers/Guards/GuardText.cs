namespace Zones.Handlers.Guards;

/// <summary>Quoting and checking of the values guard zones put in WWW-Authenticate.</summary>
internal static class GuardText
{
    /// <summary>An RFC 9110 quoted-string: the text in quotes, '"' and '\' escaped.</summary>
    public static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static IEnumerable<string> CheckRealm(string? realm)
    {
        if (string.IsNullOrWhiteSpace(realm)) yield return "\"Realm\" is empty; name the protected area, e.g. \"Realm\": \"Admin\"";
        else if (realm.AsSpan().ContainsAnyInRange('\0', '\u001f') || realm.Contains('\u007f') || !System.Text.Ascii.IsValid(realm))
            yield return $"\"Realm\" \"{realm}\" must be printable ASCII (browsers show other characters wrongly); write it in ASCII";
    }
}
