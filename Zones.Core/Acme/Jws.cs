using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Zones.Acme;

/// <summary>
/// A request body as RFC 8555 §6.2 wants it: a flattened JWS, signed ES256, whose protected
/// header names the key — by "jwk" for newAccount, by "kid" (the account URL) after — and
/// carries the nonce and the URL it is for. An empty payload is a POST-as-GET.
/// </summary>
internal static class Jws
{
    /// <param name="key">The account's key, which signs.</param>
    /// <param name="url">The request's URL, which the header must name (§6.4).</param>
    /// <param name="nonce">A fresh Replay-Nonce.</param>
    /// <param name="accountUrl">The "kid"; null sends the key itself ("jwk").</param>
    /// <param name="payload">The JSON to send; empty for a POST-as-GET.</param>
    public static byte[] Sign(AccountKey key, string url, string nonce, string? accountUrl, ReadOnlySpan<byte> payload)
    {
        var header = Base64Url.EncodeToString(Header(key, url, nonce, accountUrl));
        var body = Base64Url.EncodeToString(payload);
        // The signature is over the ASCII of "header.payload", in the IEEE P1363 form (r‖s)
        // that JWS's ES256 specifies and .NET's SignData gives by default.
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256);

        var buffer = new ArrayBufferWriter<byte>(header.Length + body.Length + 160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("protected", header);
            json.WriteString("payload", body);
            json.WriteString("signature", Base64Url.EncodeToString(signature));
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Header(AccountKey key, string url, string nonce, string? accountUrl)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("alg", "ES256");
            if (accountUrl is null)
            {
                json.WritePropertyName("jwk");
                json.WriteRawValue(key.Jwk, skipInputValidation: true);
            }
            else json.WriteString("kid", accountUrl);
            json.WriteString("nonce", nonce);
            json.WriteString("url", url);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
