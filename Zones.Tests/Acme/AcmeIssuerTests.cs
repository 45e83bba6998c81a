using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Zones.Acme;

namespace Zones.Tests.Acme;

/// <summary>A whole order against recorded CA answers: the flow of RFC 8555 §7.4, with a test authority signing the CSR.</summary>
public sealed class AcmeIssuerTests : IDisposable
{
    private readonly AccountKey _key = AccountKey.Create();
    private readonly ECDsa _authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _authority;

    public AcmeIssuerTests()
    {
        var request = new CertificateRequest("CN=Recorded CA", _authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public void Dispose()
    {
        _key.Dispose();
        _authority.Dispose();
        _authorityKey.Dispose();
    }

    private const string PendingOrder = $$"""
        { "status": "pending", "authorizations": [ "{{RecordedCa.Base}}/authz/1" ], "finalize": "{{RecordedCa.Base}}/order/1/finalize" }
        """;

    private static string Authorization(string status, string challengeStatus = "pending", string error = "") => $$"""
        { "status": "{{status}}", "identifier": { "type": "dns", "value": "zones.example.com" },
          "challenges": [
            { "type": "dns-01", "url": "{{RecordedCa.Base}}/chall/dns", "status": "pending", "token": "dns-token" },
            { "type": "http-01", "url": "{{RecordedCa.Base}}/chall/http", "status": "{{challengeStatus}}", "token": "http-token"{{error}} },
            { "type": "tls-alpn-01", "url": "{{RecordedCa.Base}}/chall/alpn", "status": "pending", "token": "alpn-token" } ] }
        """;

    [Fact]
    public async Task An_order_is_proved_by_http01_finalised_with_a_CSR_and_its_chain_downloaded()
    {
        var challenges = new AcmeChallenges();
        string? servedDuringValidation = null;
        byte[]? csr = null;
        var ca = new RecordedCa().Opening().Then("POST", "/acct", 201, "{}", location: "/acct/1");
        ca.Then("POST", "/order", r => ca.Answer(201, PendingOrder, location: "/order/1"))
            .Then("POST", "/authz/1", 200, Authorization("pending"))
            .Then("POST", "/chall/http", r =>
            {
                // While the CA validates, the token is answered — with the key authorization.
                servedDuringValidation = challenges.Http01("http-token");
                return ca.Answer(200, """{ "type": "http-01", "status": "processing" }""");
            })
            .Then("POST", "/authz/1", r => { var a = ca.Answer(200, Authorization("pending", "processing")); a.Headers.Add("Retry-After", "0"); return a; })
            .Then("POST", "/authz/1", 200, Authorization("valid", "valid"))
            .Then("POST", "/order/1", 200, """{ "status": "ready", "finalize": "https://ca.test/order/1/finalize" }""")
            .Then("POST", "/order/1/finalize", r =>
            {
                csr = Base64Url.DecodeFromChars(r.PayloadJson.GetProperty("csr").GetString()!);
                return ca.Answer(200, """{ "status": "processing" }""", location: "/order/1");
            })
            .Then("POST", "/order/1", 200, """{ "status": "valid", "certificate": "https://ca.test/cert/1" }""")
            .Then("POST", "/cert/1", r => ca.Answer(200, Sign(csr!), contentType: "application/pem-certificate-chain"));
        var issuer = new AcmeIssuer(new AcmeClient(new HttpClient(ca), new Uri(RecordedCa.Base + "/dir"), _key), challenges, TimeProvider.System);

        var (chainPem, keyPem) = await issuer.ObtainAsync(["zones.example.com", "www.zones.example.com"], [AcmeOptions.Http01, AcmeOptions.TlsAlpn01], null, default);

        Assert.True(ca.Done);
        Assert.Equal(_key.KeyAuthorization("http-token"), servedDuringValidation);
        Assert.Null(challenges.Http01("http-token")); // answered only while pending
        var order = ca.Requests.Single(r => r.Path == "/order").PayloadJson.GetProperty("identifiers");
        Assert.Equal(["zones.example.com", "www.zones.example.com"], order.EnumerateArray().Select(i => i.GetProperty("value").GetString()));
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(ca.Requests.Single(r => r.Path == "/chall/http").Payload));
        Assert.All(ca.Requests.Where(r => r.Path is "/authz/1" or "/cert/1"), r => Assert.Empty(r.Payload)); // POST-as-GET
        Assert.All(ca.Requests.Skip(3), r => Assert.Equal(RecordedCa.Base + "/acct/1", r.Kid));
        Assert.Equal("application/pem-certificate-chain", ca.Requests.Last().Accept.Single().MediaType);
        var issued = IssuedCertificate.FromPem(chainPem, keyPem);
        Assert.True(issued.Covers(["zones.example.com", "www.zones.example.com"]));
        Assert.Equal(_authority.Thumbprint, Assert.Single(issued.Chain).Thumbprint);
        Assert.True(issued.Leaf.HasPrivateKey);
    }

    [Fact]
    public async Task An_authorization_already_valid_needs_no_challenge_and_tls_alpn_01_is_used_when_it_comes_first()
    {
        var challenges = new AcmeChallenges();
        var ca = new RecordedCa().Opening().Then("POST", "/acct", 201, "{}", location: "/acct/1");
        byte[]? shown = null; // the challenge certificate's acmeIdentifier, while it is shown
        byte[]? csr = null;
        ca.Then("POST", "/order", r => ca.Answer(201, PendingOrder.Replace("authz/1", "authz/1\", \"" + RecordedCa.Base + "/authz/2"), location: "/order/1"))
            .Then("POST", "/authz/1", 200, Authorization("valid", "valid"))
            .Then("POST", "/authz/2", 200, Authorization("pending").Replace("\"zones.example.com\"", "\"www.zones.example.com\""))
            .Then("POST", "/chall/alpn", r =>
            {
                shown = challenges.TlsAlpn01("www.zones.example.com")!.Extensions.Single(e => e.Oid?.Value == TlsAlpnCertificate.AcmeIdentifierOid).RawData;
                return ca.Answer(200, "{}");
            })
            .Then("POST", "/authz/2", 200, Authorization("valid", "valid"))
            .Then("POST", "/order/1", 200, """{ "status": "ready", "finalize": "https://ca.test/order/1/finalize" }""")
            .Then("POST", "/order/1/finalize", r => { csr = Base64Url.DecodeFromChars(r.PayloadJson.GetProperty("csr").GetString()!); return ca.Answer(200, """{ "status": "valid", "certificate": "https://ca.test/cert/1" }"""); })
            .Then("POST", "/order/1", 200, """{ "status": "valid", "certificate": "https://ca.test/cert/1" }""")
            .Then("POST", "/cert/1", r => ca.Answer(200, Sign(csr!), contentType: "application/pem-certificate-chain"));
        var issuer = new AcmeIssuer(new AcmeClient(new HttpClient(ca), new Uri(RecordedCa.Base + "/dir"), _key), challenges, TimeProvider.System);

        await issuer.ObtainAsync(["zones.example.com", "www.zones.example.com"], [AcmeOptions.TlsAlpn01, AcmeOptions.Http01], null, default);

        Assert.True(ca.Done);
        Assert.Equal(TlsAlpnCertificate.ExtensionValue(_key.KeyAuthorization("alpn-token")), shown);
        Assert.Null(challenges.TlsAlpn01("www.zones.example.com"));
    }

    [Fact]
    public async Task A_failed_challenge_is_an_error_with_the_CAs_reason_and_the_token_is_withdrawn()
    {
        var challenges = new AcmeChallenges();
        var ca = new RecordedCa().Opening().Then("POST", "/acct", 201, "{}", location: "/acct/1");
        ca.Then("POST", "/order", r => ca.Answer(201, PendingOrder, location: "/order/1"))
            .Then("POST", "/authz/1", 200, Authorization("pending"))
            .Then("POST", "/chall/http", 200, "{}")
            .Then("POST", "/authz/1", 200, Authorization("invalid", "invalid",
                """, "error": { "type": "urn:ietf:params:acme:error:connection", "detail": "127.0.0.1: Fetching http://zones.example.com/.well-known/acme-challenge/http-token: Connection refused" }"""));
        var issuer = new AcmeIssuer(new AcmeClient(new HttpClient(ca), new Uri(RecordedCa.Base + "/dir"), _key), challenges, TimeProvider.System);

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => issuer.ObtainAsync(["zones.example.com"], [AcmeOptions.Http01], null, default));

        Assert.Equal("http-01 for zones.example.com failed: 127.0.0.1: Fetching http://zones.example.com/.well-known/acme-challenge/http-token: Connection refused (connection)", e.Message);
        Assert.Null(challenges.Http01("http-token"));
        Assert.True(ca.Done);
    }

    [Fact]
    public async Task A_CA_that_offers_no_challenge_Zones_can_answer_says_which_it_offers()
    {
        var ca = new RecordedCa().Opening().Then("POST", "/acct", 201, "{}", location: "/acct/1");
        ca.Then("POST", "/order", r => ca.Answer(201, PendingOrder, location: "/order/1"))
            .Then("POST", "/authz/1", 200, Authorization("pending").Replace("\"http-01\"", "\"http-02\"").Replace("\"tls-alpn-01\"", "\"tls-alpn-02\""));
        var issuer = new AcmeIssuer(new AcmeClient(new HttpClient(ca), new Uri(RecordedCa.Base + "/dir"), _key), new AcmeChallenges(), TimeProvider.System);

        var e = await Assert.ThrowsAsync<AcmeException>(() => issuer.ObtainAsync(["zones.example.com"], [AcmeOptions.Http01], null, default));
        Assert.Equal("the CA offers zones.example.com only the challenges dns-01, http-02, tls-alpn-02, and Zones answers http-01 here", e.Message);
    }

    private string Sign(byte[] csr)
    {
        var request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        using var leaf = request.Create(_authority, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        return leaf.ExportCertificatePem() + "\n" + _authority.ExportCertificatePem() + "\n";
    }
}
