using Zones.Acme;

namespace Zones.Tests.Acme;

/// <summary>The client's conversation against recorded CA answers: nonces, the account, problem documents.</summary>
public sealed class AcmeClientTests : IDisposable
{
    private readonly AccountKey _key = AccountKey.Create();

    public void Dispose() => _key.Dispose();

    private AcmeClient Client(RecordedCa ca) => new(new HttpClient(ca), new Uri(RecordedCa.Base + "/dir"), _key);

    [Fact]
    public async Task A_new_account_is_signed_with_the_key_and_its_Location_becomes_the_kid()
    {
        var ca = new RecordedCa().Opening()
            .Then("POST", "/acct", 201, """{ "status": "valid" }""", location: "/acct/17")
            .Then("POST", "/order/1", 200, """{ "status": "pending" }""");
        var client = Client(ca);

        Assert.Equal(RecordedCa.Base + "/acct/17", await client.AccountAsync("admin@zones.example.com", default));
        await client.PostAsync(RecordedCa.Base + "/order/1", ReadOnlyMemory<byte>.Empty, default);

        var account = ca.Requests[2];
        Assert.True(account.Header!.Value.TryGetProperty("jwk", out _));
        Assert.Null(account.Kid);
        Assert.True(account.PayloadJson.GetProperty("termsOfServiceAgreed").GetBoolean());
        Assert.Equal("mailto:admin@zones.example.com", account.PayloadJson.GetProperty("contact")[0].GetString());
        // The next request uses the account's URL and the nonce the last answer carried.
        Assert.Equal(RecordedCa.Base + "/acct/17", ca.Requests[3].Kid);
        Assert.Equal("nonce-3", ca.Requests[3].Nonce);
        Assert.True(ca.Done);
    }

    [Fact]
    public async Task A_bad_nonce_is_retried_once_with_the_nonce_the_error_carried()
    {
        var ca = new RecordedCa().Opening()
            .Then("POST", "/acct", 400, """{ "type": "urn:ietf:params:acme:error:badNonce", "detail": "JWS has an invalid anti-replay nonce" }""", contentType: "application/problem+json")
            .Then("POST", "/acct", 201, "{}", location: "/acct/1");

        Assert.Equal(RecordedCa.Base + "/acct/1", await Client(ca).AccountAsync(null, default));
        Assert.Equal("nonce-2", ca.Requests[2].Nonce); // from HEAD newNonce
        Assert.Equal("nonce-3", ca.Requests[3].Nonce); // from the badNonce answer
        Assert.True(ca.Done);
    }

    [Fact]
    public async Task A_second_bad_nonce_in_a_row_is_an_error()
    {
        const string badNonce = """{ "type": "urn:ietf:params:acme:error:badNonce", "detail": "stale" }""";
        var ca = new RecordedCa().Opening()
            .Then("POST", "/acct", 400, badNonce, contentType: "application/problem+json")
            .Then("POST", "/acct", 400, badNonce, contentType: "application/problem+json");

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => Client(ca).AccountAsync(null, default));
        Assert.Equal("badNonce", e.ShortType);
        Assert.True(ca.Done);
    }

    [Fact]
    public async Task A_problem_document_becomes_an_exception_with_its_type_detail_and_subproblems()
    {
        var ca = new RecordedCa().Opening()
            .Then("POST", "/acct", 400, """
                { "type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "Error creating new order", "status": 400,
                  "subproblems": [ { "type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "Domain name \"localhost\" is not allowed",
                                     "identifier": { "type": "dns", "value": "localhost" } } ] }
                """, contentType: "application/problem+json");

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => Client(ca).AccountAsync(null, default));
        Assert.Equal("urn:ietf:params:acme:error:rejectedIdentifier", e.Type);
        Assert.Equal("rejectedIdentifier", e.ShortType);
        Assert.Equal(400, e.Status);
        Assert.Equal($"POST {RecordedCa.Base}/acct: Error creating new order (rejectedIdentifier); Domain name \"localhost\" is not allowed (rejectedIdentifier)", e.Message);
    }

    [Fact]
    public async Task An_error_without_a_problem_document_says_its_status()
    {
        var ca = new RecordedCa().Then("GET", "/dir", 502, "<html>bad gateway</html>", contentType: "text/html");
        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => Client(ca).DirectoryAsync(default));
        Assert.Equal($"GET {RecordedCa.Base}/dir: HTTP 502 Bad Gateway (error)", e.Message);
    }

    [Fact]
    public async Task A_directory_that_is_not_one_says_to_check_the_setting()
    {
        var ca = new RecordedCa().Then("GET", "/dir", 200, """{ "hello": "world" }""");
        var e = await Assert.ThrowsAsync<AcmeException>(() => Client(ca).DirectoryAsync(default));
        Assert.Contains("is not an ACME directory", e.Message);
        Assert.Contains("Server:Tls:Acme:Directory", e.Message);
    }
}
