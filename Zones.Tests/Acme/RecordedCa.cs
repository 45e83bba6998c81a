using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Zones.Tests.Acme;

/// <summary>
/// A CA's side of an ACME conversation as recorded exchanges: each expected request (method
/// and path, in order) with the answer to give. Requests are kept, with their JWS opened, so a
/// test can check what was signed. Anything unexpected fails the test.
/// </summary>
public sealed class RecordedCa : HttpMessageHandler
{
    public const string Base = "https://ca.test";

    private readonly Queue<(string Method, string Path, Func<SentRequest, HttpResponseMessage> Answer)> _script = new();
    private int _nonce;

    public List<SentRequest> Requests { get; } = [];

    public static string DirectoryJson => $$"""
        { "newNonce": "{{Base}}/nonce", "newAccount": "{{Base}}/acct", "newOrder": "{{Base}}/order",
          "meta": { "termsOfService": "{{Base}}/terms" } }
        """;

    public RecordedCa Then(string method, string path, Func<SentRequest, HttpResponseMessage> answer)
    {
        _script.Enqueue((method, path, answer));
        return this;
    }

    public RecordedCa Then(string method, string path, int status, string? json = null, string? location = null, string contentType = "application/json") =>
        Then(method, path, _ => Answer(status, json, location, contentType));

    /// <summary>The directory, then a nonce: what every conversation starts with.</summary>
    public RecordedCa Opening() => Then("GET", "/dir", 200, DirectoryJson).Then("HEAD", "/nonce", 200);

    /// <summary>A JSON (or other) answer with a fresh Replay-Nonce, as a CA sends on every response.</summary>
    public HttpResponseMessage Answer(int status, string? body = null, string? location = null, string contentType = "application/json")
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (body is not null) response.Content = new StringContent(body, Encoding.UTF8, contentType);
        response.Headers.Add("Replay-Nonce", $"nonce-{Interlocked.Increment(ref _nonce)}");
        if (location is not null) response.Headers.Location = new Uri(Base + location);
        return response;
    }

    public bool Done => _script.Count == 0;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var sent = SentRequest.From(request, body);
        Requests.Add(sent);
        Assert.True(_script.Count > 0, $"the CA was not expecting {sent.Method} {sent.Path}");
        var (method, path, answer) = _script.Dequeue();
        Assert.Equal($"{method} {path}", $"{sent.Method} {sent.Path}");
        if (sent.Method == "POST") Assert.Equal("application/jose+json", request.Content!.Headers.ContentType?.MediaType);
        return answer(sent);
    }
}

/// <summary>One request as the CA saw it; for a POST, the JWS's protected header and payload decoded.</summary>
public sealed record SentRequest(string Method, string Path, JsonElement? Header, byte[] Payload, MediaTypeWithQualityHeaderValue[] Accept)
{
    public string? Nonce => Header?.GetProperty("nonce").GetString();

    public string? Kid => Header is { } h && h.TryGetProperty("kid", out var kid) ? kid.GetString() : null;

    public JsonElement PayloadJson => JsonDocument.Parse(Payload).RootElement;

    public static SentRequest From(HttpRequestMessage request, byte[] body)
    {
        JsonElement? header = null;
        byte[] payload = [];
        if (body.Length > 0)
        {
            var jws = JsonDocument.Parse(body).RootElement;
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(jws.GetProperty("protected").GetString()!)).RootElement;
            payload = Base64Url.DecodeFromChars(jws.GetProperty("payload").GetString()!);
        }
        return new SentRequest(request.Method.Method, request.RequestUri!.AbsolutePath, header, payload, [.. request.Headers.Accept]);
    }
}
