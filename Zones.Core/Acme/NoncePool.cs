using System.Collections.Concurrent;

namespace Zones.Acme;

/// <summary>
/// Anti-replay nonces (RFC 8555 §7.2): every response's Replay-Nonce is kept for the next
/// request, and only when none is left is a fresh one fetched with HEAD newNonce.
/// </summary>
internal sealed class NoncePool(HttpClient http)
{
    private const int MaxKept = 16; // a CA sends one per response; more than a few is never needed
    private const string ReplayNonce = "Replay-Nonce";
    private readonly ConcurrentStack<string> _nonces = new();

    public int Count => _nonces.Count;

    /// <summary>Keeps the response's Replay-Nonce, if it has one.</summary>
    public void Offer(HttpResponseMessage response)
    {
        if (NonceOf(response) is { } nonce && _nonces.Count < MaxKept) _nonces.Push(nonce);
    }

    public async Task<string> TakeAsync(string newNonceUrl, CancellationToken cancellationToken)
    {
        if (_nonces.TryPop(out var nonce)) return nonce;
        using var request = new HttpRequestMessage(HttpMethod.Head, newNonceUrl);
        using var response = await http.SendAsync(request, cancellationToken);
        return NonceOf(response) ?? throw new AcmeException($"HEAD {newNonceUrl} answered {(int)response.StatusCode} without a Replay-Nonce");
    }

    private static string? NonceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ReplayNonce, out var values) && values.FirstOrDefault() is { Length: > 0 } nonce ? nonce : null;
}
