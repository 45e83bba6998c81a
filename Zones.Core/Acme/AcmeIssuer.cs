using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Zones.Acme;

/// <summary>
/// One certificate from the CA, RFC 8555 §7.4 from top to bottom: order the domains, prove each
/// one (an authorization already valid needs nothing; otherwise one challenge of the types given,
/// answered through <see cref="AcmeChallenges"/>), finalise with a CSR for a fresh key, wait for
/// the order, download the PEM chain. Every wait for the CA is bounded.
/// </summary>
internal sealed class AcmeIssuer(AcmeClient client, AcmeChallenges challenges, TimeProvider time)
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>How long one authorization or order may stay pending or processing.</summary>
    public TimeSpan PollLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The certificate (chain PEM) and its key (PEM).</summary>
    public async Task<(string ChainPem, string KeyPem)> ObtainAsync(IReadOnlyList<string> domains, IReadOnlyList<string> challengeTypes, string? email, CancellationToken cancellationToken)
    {
        var directory = await client.DirectoryAsync(cancellationToken);
        await client.AccountAsync(email, cancellationToken);

        var request = new NewOrderRequest { Identifiers = [.. domains.Select(d => new AcmeIdentifier { Value = d })] };
        var created = await client.PostAsync(directory.NewOrder!, JsonSerializer.SerializeToUtf8Bytes(request, AcmeJson.Default.NewOrderRequest), cancellationToken);
        var orderUrl = created.Location ?? throw new AcmeException($"POST {directory.NewOrder} (newOrder) answered without the order's URL in Location");
        var order = AcmeClient.Read(created.Body, AcmeJson.Default.AcmeOrder, "newOrder");

        foreach (var authorization in order.Authorizations) await AuthorizeAsync(authorization, challengeTypes, cancellationToken);

        order = await PollAsync(orderUrl, AcmeJson.Default.AcmeOrder, o => o.Status is "pending", "the order", cancellationToken);
        if (order.Status != "ready") throw OrderFailed(order, "is not ready after its authorizations");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var finalize = new FinalizeRequest { Csr = Base64Url.EncodeToString(SigningRequest.Create(domains, key)) };
        await client.PostAsync(order.Finalize ?? throw new AcmeException("the order names no finalize URL"), JsonSerializer.SerializeToUtf8Bytes(finalize, AcmeJson.Default.FinalizeRequest), cancellationToken);
        order = await PollAsync(orderUrl, AcmeJson.Default.AcmeOrder, o => o.Status is "ready" or "processing", "the order", cancellationToken);
        if (order.Status != "valid" || order.Certificate is null) throw OrderFailed(order, "was not issued");

        var download = await client.PostAsync(order.Certificate, ReadOnlyMemory<byte>.Empty, cancellationToken, accept: "application/pem-certificate-chain");
        return (System.Text.Encoding.ASCII.GetString(download.Body), key.ExportPkcs8PrivateKeyPem());
    }

    private async Task AuthorizeAsync(string url, IReadOnlyList<string> challengeTypes, CancellationToken cancellationToken)
    {
        var authorization = await client.PostAsync(url, ReadOnlyMemory<byte>.Empty, AcmeJson.Default.AcmeAuthorization, cancellationToken);
        if (authorization.Status == "valid") return; // proven recently: the CA reuses it
        var domain = authorization.Identifier?.Value ?? "?";
        if (authorization.Status != "pending") throw new AcmeException($"the authorization for {domain} is {authorization.Status}");
        var challenge = challengeTypes.Select(t => authorization.Challenges.FirstOrDefault(c => c.Type == t)).FirstOrDefault(c => c is not null)
            ?? throw new AcmeException($"the CA offers {domain} only the challenges {string.Join(", ", authorization.Challenges.Select(c => c.Type))}, and Zones answers {string.Join(", ", challengeTypes)} here");
        var token = challenge.Token ?? throw new AcmeException($"the {challenge.Type} challenge for {domain} has no token");
        var keyAuthorization = client.Key.KeyAuthorization(token);
        if (challenge.Type == AcmeOptions.Http01) challenges.AddHttp01(token, keyAuthorization);
        else challenges.AddTlsAlpn01(domain, keyAuthorization);
        try
        {
            await client.PostAsync(challenge.Url ?? throw new AcmeException($"the {challenge.Type} challenge for {domain} has no URL"), EmptyObject, cancellationToken);
            authorization = await PollAsync(url, AcmeJson.Default.AcmeAuthorization, a => a.Status is "pending", $"the authorization for {domain}", cancellationToken);
        }
        finally
        {
            if (challenge.Type == AcmeOptions.Http01) challenges.RemoveHttp01(token);
            else challenges.RemoveTlsAlpn01(domain);
        }
        if (authorization.Status != "valid")
        {
            var error = authorization.Challenges.FirstOrDefault(c => c.Type == challenge.Type)?.Error;
            if (error is not null) throw new AcmeProblemException(error, $"{challenge.Type} for {domain} failed");
            throw new AcmeException($"{challenge.Type} for {domain} failed: the authorization is {authorization.Status}");
        }
    }

    /// <summary>POST-as-GET until <paramref name="waiting"/> is false, as often as Retry-After says (else every ½ s, then slower), at most <see cref="PollLimit"/>.</summary>
    private async Task<T> PollAsync<T>(string url, JsonTypeInfo<T> type, Func<T, bool> waiting, string what, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + PollLimit;
        var pause = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            var response = await client.PostAsync(url, ReadOnlyMemory<byte>.Empty, cancellationToken);
            var value = AcmeClient.Read(response.Body, type, $"POST {url}");
            if (!waiting(value)) return value;
            var wait = response.RetryAfter is { } asked ? Clamp(asked, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30)) : pause;
            if (time.GetUtcNow() + wait > deadline) throw new AcmeException($"{what} was still undecided after {PollLimit.TotalSeconds:0} s");
            await Task.Delay(wait, time, cancellationToken);
            pause = Clamp(pause * 2, pause, TimeSpan.FromSeconds(5));
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private static AcmeException OrderFailed(AcmeOrder order, string what) => order.Error is { } error
        ? new AcmeProblemException(error, $"the order {what}")
        : new AcmeException($"the order {what} (its status is {order.Status})");
}
