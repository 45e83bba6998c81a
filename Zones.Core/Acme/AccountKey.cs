using System.Security.Cryptography;

namespace Zones.Acme;

/// <summary>
/// The ACME account's key pair (ECDSA P-256, signing ES256): the account is this key, so it is
/// created once and kept. Signs requests (<see cref="Jws"/>) and makes key authorizations.
/// </summary>
internal sealed class AccountKey : IDisposable
{
    public AccountKey(ECDsa key)
    {
        Key = key;
        Jwk = Zones.Acme.Jwk.ForP256(key);
        Thumbprint = Zones.Acme.Jwk.Thumbprint(Jwk);
    }

    public static AccountKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public ECDsa Key { get; }

    /// <summary>The public key in RFC 7638's canonical JSON.</summary>
    public byte[] Jwk { get; }

    public string Thumbprint { get; }

    /// <summary>What a challenge proves we hold: the token, '.', the key's thumbprint (RFC 8555 §8.1).</summary>
    public string KeyAuthorization(string token) => token + "." + Thumbprint;

    public void Dispose() => Key.Dispose();
}
