using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Zones.Acme;

namespace Zones.Tests.Acme;

public sealed class JwsTests
{
    [Fact]
    public void A_new_account_request_names_the_key_itself_and_verifies_with_it()
    {
        using var key = AccountKey.Create();
        var body = Jws.Sign(key, "https://ca.test/new-acct", "nonce-1", accountUrl: null, "{\"termsOfServiceAgreed\":true}"u8);

        var (header, payload, signature, signingInput) = Open(body);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("nonce-1", header.GetProperty("nonce").GetString());
        Assert.Equal("https://ca.test/new-acct", header.GetProperty("url").GetString());
        Assert.False(header.TryGetProperty("kid", out _));
        var jwk = header.GetProperty("jwk");
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
        var q = key.Key.ExportParameters(false).Q;
        Assert.Equal(q.X, Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()!));
        Assert.Equal(q.Y, Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()!));
        Assert.Equal("{\"termsOfServiceAgreed\":true}", Encoding.UTF8.GetString(payload));
        // ES256 is r‖s, 32 bytes each (IEEE P1363), not DER.
        Assert.Equal(64, signature.Length);
        Assert.True(key.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Later_requests_name_the_account_by_kid_and_a_post_as_get_has_an_empty_payload()
    {
        using var key = AccountKey.Create();
        var body = Jws.Sign(key, "https://ca.test/order/1", "nonce-2", "https://ca.test/acct/7", ReadOnlySpan<byte>.Empty);

        var (header, payload, signature, signingInput) = Open(body);
        Assert.Equal("https://ca.test/acct/7", header.GetProperty("kid").GetString());
        Assert.False(header.TryGetProperty("jwk", out _));
        Assert.Empty(payload);
        Assert.Equal("", JsonDocument.Parse(body).RootElement.GetProperty("payload").GetString()!);
        Assert.True(key.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256));
        // Signed by another key, the same bytes do not verify: the check above means something.
        using var other = AccountKey.Create();
        Assert.False(other.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void The_thumbprint_of_RFC_7638s_example_key_is_the_one_the_RFC_gives()
    {
        // RFC 7638 §3.1.
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        var canonical = Jwk.Canonical([("n", n), ("kty", "RSA"), ("e", "AQAB")]);
        Assert.Equal($"{{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"{n}\"}}", Encoding.UTF8.GetString(canonical));
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", Jwk.Thumbprint(canonical));
    }

    [Fact]
    public void A_key_authorization_is_the_token_a_dot_and_the_thumbprint_of_the_canonical_EC_key()
    {
        using var key = AccountKey.Create();
        var q = key.Key.ExportParameters(false).Q;
        var expected = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(q.X)}\",\"y\":\"{Base64Url.EncodeToString(q.Y)}\"}}";
        Assert.Equal(expected, Encoding.UTF8.GetString(key.Jwk));
        var thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        Assert.Equal("tok-123." + thumbprint, key.KeyAuthorization("tok-123"));
    }

    private static (JsonElement Header, byte[] Payload, byte[] Signature, byte[] SigningInput) Open(byte[] body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        var header = root.GetProperty("protected").GetString()!;
        var payload = root.GetProperty("payload").GetString()!;
        var headerJson = JsonDocument.Parse(Base64Url.DecodeFromChars(header)).RootElement;
        return (headerJson, Base64Url.DecodeFromChars(payload), Base64Url.DecodeFromChars(root.GetProperty("signature").GetString()!), Encoding.ASCII.GetBytes(header + "." + payload));
    }
}
