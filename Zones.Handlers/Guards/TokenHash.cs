using System.Security.Cryptography;
using System.Text;

namespace Zones.Handlers.Guards;

/// <summary>
/// An API token as bearer's <c>Tokens</c> store it: <c>sha256:</c> and the SHA-256 of the token in
/// hex. A token is long and random (<see cref="NewToken"/>), so a fast hash is enough — nothing
/// is gained by stretching it as a password is — and the file never holds the token itself.
/// </summary>
public static class TokenHash
{
    /// <summary>The prefix that marks a string as a token hash.</summary>
    public const string Scheme = "sha256:";

    /// <summary>"sha256:" and 64 lowercase hex digits.</summary>
    public static string Of(string token) => Scheme + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>32 random bytes in base64url: 43 characters that survive a query string unescaped.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The 32 digest bytes of a stored "sha256:HEX" value, or null when it is not one.</summary>
    public static byte[]? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Scheme, StringComparison.Ordinal) || text.Length != Scheme.Length + 64) return null;
        try { return Convert.FromHexString(text.AsSpan(Scheme.Length)); }
        catch (FormatException) { return null; }
    }

    /// <summary>The digest of a presented token, to compare with <see cref="Parse"/>'s.</summary>
    public static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
