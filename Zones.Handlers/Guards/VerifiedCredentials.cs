using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Zones.Handlers.Guards;

/// <summary>
/// Credentials basicauth has already checked, so that a keep-alive client (a browser sends the
/// header with every request) pays the deliberate cost of PBKDF2 once, not per request. Keyed by
/// a SHA-256 of user and password, never the password itself; only successes are kept, so a
/// wrong password always pays the full cost. Bounded: past <see cref="Capacity"/> entries the
/// cache starts over. A new zone table (zones.json edited) builds new handlers and new caches.
/// </summary>
internal sealed class VerifiedCredentials(int capacity = VerifiedCredentials.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<UInt128Pair, string> _users = new();

    public int Capacity => capacity;

    public int Count => _users.Count;

    public bool TryGet(in BasicCredentials credentials, out string user) =>
        _users.TryGetValue(KeyOf(credentials), out user!);

    public void Add(in BasicCredentials credentials)
    {
        if (_users.Count >= capacity) _users.Clear();
        _users[KeyOf(credentials)] = credentials.User;
    }

    private static UInt128Pair KeyOf(in BasicCredentials credentials)
    {
        // The user's length first, so "a" + "b:c" and "a:b" + "c" cannot collide.
        var text = $"{credentials.User.Length}:{credentials.User}:{credentials.Password}";
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return new UInt128Pair(BitConverter.ToUInt128(digest), BitConverter.ToUInt128(digest[16..]));
    }

    private readonly record struct UInt128Pair(UInt128 High, UInt128 Low);
}
