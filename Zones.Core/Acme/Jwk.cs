using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Zones.Acme;

/// <summary>
/// A public key as a JSON Web Key in the canonical form of RFC 7638: only the required members,
/// in lexicographic order, no white space. That exact text is both the "jwk" a new account is
/// signed with and the input of the thumbprint that key authorizations end in.
/// </summary>
internal static class Jwk
{
    /// <summary>{"crv":"P-256","kty":"EC","x":…,"y":…} for a P-256 key.</summary>
    public static byte[] ForP256(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return Canonical([("crv", "P-256"), ("kty", "EC"), ("x", Base64Url.EncodeToString(p.Q.X!)), ("y", Base64Url.EncodeToString(p.Q.Y!))]);
    }

    /// <summary>The members sorted by name (ordinal, as RFC 7638 §3.3 asks) and written without white space.</summary>
    public static byte[] Canonical(IEnumerable<(string Name, string Value)> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in members.OrderBy(m => m.Name, StringComparer.Ordinal)) json.WriteString(name, value);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>base64url(SHA-256(canonical JWK)) — RFC 7638 §3.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> canonical) => Base64Url.EncodeToString(SHA256.HashData(canonical));
}
