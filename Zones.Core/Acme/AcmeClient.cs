using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Zones.Acme;

/// <summary>
/// The conversation with one CA (RFC 8555 §6): its directory, the account, and signed POSTs —
/// each with a fresh nonce, retried once when the CA calls the nonce stale (badNonce, §6.5), and
/// an error answer turned into an <see cref="AcmeProblemException"/>.
/// </summary>
internal sealed class AcmeClient
{
    private const string JoseJson = "application/jose+json";
    private readonly HttpClient _http;
    private readonly NoncePool _nonces;
    private readonly AccountKey _key;
    private AcmeDirectory? _directory;

    public AcmeClient(HttpClient http, Uri directoryUrl, AccountKey key)
    {
        _http = http;
        DirectoryUrl = directoryUrl;
        _key = key;
        _nonces = new NoncePool(http);
    }

    public Uri DirectoryUrl { get; }

    public AccountKey Key => _key;

    /// <summary>The account's URL (the "kid"), once <see cref="AccountAsync"/> has run.</summary>
    public string? AccountUrl { get; private set; }

    public async Task<AcmeDirectory> DirectoryAsync(CancellationToken cancellationToken)
    {
        if (_directory is { } known) return known;
        using var response = await _http.GetAsync(DirectoryUrl, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw Failure(response, body, $"GET {DirectoryUrl}");
        var directory = Read(body, AcmeJson.Default.AcmeDirectory, $"GET {DirectoryUrl}");
        if (directory.NewNonce is null || directory.NewAccount is null || directory.NewOrder is null)
            throw new AcmeException($"{DirectoryUrl} is not an ACME directory (it names no newNonce, newAccount and newOrder); check Server:Tls:Acme:Directory");
        return _directory = directory;
    }

    /// <summary>Registers the key, or finds the account it already has (newAccount answers 200 with it), and keeps its URL.</summary>
    public async Task<string> AccountAsync(string? email, CancellationToken cancellationToken)
    {
        if (AccountUrl is { } known) return known;
        var directory = await DirectoryAsync(cancellationToken);
        var request = new NewAccountRequest
        {
            TermsOfServiceAgreed = true,
            Contact = email is null ? null : [email.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? email : "mailto:" + email],
        };
        var response = await SendAsync(directory.NewAccount!, JsonSerializer.SerializeToUtf8Bytes(request, AcmeJson.Default.NewAccountRequest), null, byKey: true, cancellationToken);
        return AccountUrl = response.Location ?? throw new AcmeException($"POST {directory.NewAccount} (newAccount) answered without the account's URL in Location");
    }

    /// <summary>A POST signed with the account ("kid"); an empty <paramref name="payload"/> is a POST-as-GET (§6.3).</summary>
    public Task<AcmeResponse> PostAsync(string url, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, string? accept = null) =>
        SendAsync(url, payload, accept, byKey: false, cancellationToken);

    public async Task<T> PostAsync<T>(string url, ReadOnlyMemory<byte> payload, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await PostAsync(url, payload, cancellationToken);
        return Read(response.Body, type, $"POST {url}");
    }

    private async Task<AcmeResponse> SendAsync(string url, ReadOnlyMemory<byte> payload, string? accept, bool byKey, CancellationToken cancellationToken)
    {
        var directory = await DirectoryAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var nonce = await _nonces.TakeAsync(directory.NewNonce!, cancellationToken);
            var kid = byKey ? null : AccountUrl ?? throw new InvalidOperationException("No account yet: call AccountAsync first.");
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(Jws.Sign(_key, url, nonce, kid, payload.Span)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JoseJson);
            if (accept is not null) request.Headers.Accept.ParseAdd(accept);
            using var response = await _http.SendAsync(request, cancellationToken);
            _nonces.Offer(response);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
                return new AcmeResponse(response.StatusCode, body, response.Headers.Location?.ToString(), RetryAfter(response));
            var failure = Failure(response, body, $"POST {url}");
            // A stale nonce is the one error a client is meant to retry (§6.5), with the fresh
            // nonce the error answer carried; once, so a CA that always refuses cannot loop us.
            if (attempt == 1 && failure is AcmeProblemException { ShortType: "badNonce" }) continue;
            throw failure;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    /// <summary>The problem document of an error answer, or what the status says when there is none.</summary>
    private static AcmeException Failure(HttpResponseMessage response, byte[] body, string what)
    {
        var problem = ReadProblem(response, body) ?? new AcmeProblem { Detail = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", Status = (int)response.StatusCode };
        return new AcmeProblemException(problem, what);
    }

    private static AcmeProblem? ReadProblem(HttpResponseMessage response, byte[] body)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json")) return null;
        try { return JsonSerializer.Deserialize(body, AcmeJson.Default.AcmeProblem); }
        catch (JsonException) { return null; }
    }

    internal static T Read<T>(byte[] body, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new AcmeException($"{what} answered null instead of an object");
        }
        catch (JsonException e)
        {
            throw new AcmeException($"{what} answered JSON that is not what RFC 8555 describes ({e.Message})", e);
        }
    }
}

/// <summary>A successful answer: its body and the headers the protocol reads.</summary>
internal sealed record AcmeResponse(HttpStatusCode Status, byte[] Body, string? Location, TimeSpan? RetryAfter);
