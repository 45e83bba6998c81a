using System.Buffers.Binary;
using System.Text;

namespace Zones.Tls;

/// <summary>What <see cref="ClientHello.TryParse"/> made of the bytes so far.</summary>
internal enum ClientHelloParse
{
    /// <summary>A prefix of a well-formed hello: read more.</summary>
    Incomplete,
    Parsed,
    /// <summary>Not a TLS ClientHello (or one longer than Zones reads ahead): leave it to SslStream.</summary>
    Invalid,
}

/// <summary>
/// The names a client's first TLS message offers — server name (SNI, RFC 6066 §3) and ALPN
/// protocols (RFC 7301) — read from the raw records before SslStream sees them, because
/// SslStream's certificate callback does not tell the offered ALPN list, and a tls-alpn-01
/// validator (ALPN "acme-tls/1") must get another certificate. Every length is checked against
/// what is there: garbage or a truncated hello is a result, never an exception.
/// </summary>
internal sealed class ClientHello
{
    /// <summary>The longest hello read ahead (a browser's, with post-quantum key shares, is under 2 KiB).</summary>
    public const int MaxLength = 16 * 1024;

    private const byte Handshake = 22, ClientHelloType = 1;
    private const ushort ServerNameExtension = 0, AlpnExtension = 16;

    public string? ServerName { get; private init; }

    public IReadOnlyList<string> ApplicationProtocols { get; private init; } = [];

    public bool Offers(string protocol) => ApplicationProtocols.Contains(protocol);

    public static ClientHelloParse TryParse(ReadOnlySpan<byte> data, out ClientHello? hello)
    {
        hello = null;
        // The handshake message may span records; gather its bytes (one record in practice).
        byte[]? gathered = null;
        var needed = -1; // handshake message length with its 4-byte header, once known
        var have = 0;
        while (needed < 0 || have < needed)
        {
            if (data.Length < 5) return ClientHelloParse.Incomplete;
            if (data[0] != Handshake || data[1] != 3) return ClientHelloParse.Invalid;
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
            if (length is 0 or > 16384) return ClientHelloParse.Invalid;
            if (data.Length < 5 + length) return ClientHelloParse.Incomplete; // the record is not all here yet
            var fragment = data.Slice(5, length);
            data = data[(5 + length)..];
            if (needed < 0)
            {
                if (fragment.Length < 4) return ClientHelloParse.Invalid; // a header split over records: no client does that
                if (fragment[0] != ClientHelloType) return ClientHelloParse.Invalid;
                needed = 4 + ((fragment[1] << 16) | (fragment[2] << 8) | fragment[3]);
                if (needed > MaxLength) return ClientHelloParse.Invalid;
                if (fragment.Length >= needed) return Parse(fragment[4..needed], out hello);
                gathered = new byte[needed];
            }
            var take = Math.Min(fragment.Length, needed - have);
            fragment[..take].CopyTo(gathered.AsSpan(have));
            have += take;
        }
        return Parse(gathered.AsSpan(4, needed - 4), out hello);
    }

    /// <summary>The ClientHello body (RFC 8446 §4.1.2): version, random, session id, suites, compression, extensions.</summary>
    private static ClientHelloParse Parse(ReadOnlySpan<byte> body, out ClientHello? hello)
    {
        hello = null;
        var reader = new Reader(body);
        if (!reader.Skip(2 + 32) || !reader.Vector8(out _) || !reader.Vector16(out _) || !reader.Vector8(out _)) return ClientHelloParse.Invalid;
        string? serverName = null;
        List<string> protocols = [];
        if (!reader.AtEnd)
        {
            if (!reader.Vector16(out var extensions) || !reader.AtEnd) return ClientHelloParse.Invalid;
            var list = new Reader(extensions);
            while (!list.AtEnd)
            {
                if (!list.UInt16(out var type) || !list.Vector16(out var data)) return ClientHelloParse.Invalid;
                if (type == ServerNameExtension && !ReadServerName(data, out serverName)) return ClientHelloParse.Invalid;
                if (type == AlpnExtension && !ReadProtocols(data, protocols)) return ClientHelloParse.Invalid;
            }
        }
        hello = new ClientHello { ServerName = serverName, ApplicationProtocols = protocols };
        return ClientHelloParse.Parsed;
    }

    private static bool ReadServerName(ReadOnlySpan<byte> data, out string? name)
    {
        name = null;
        var outer = new Reader(data);
        if (!outer.Vector16(out var names) || !outer.AtEnd) return false;
        var list = new Reader(names);
        while (!list.AtEnd)
        {
            if (!list.Byte(out var type) || !list.Vector16(out var host)) return false;
            if (type == 0 && name is null && host.Length > 0) name = Encoding.ASCII.GetString(host);
        }
        return true;
    }

    private static bool ReadProtocols(ReadOnlySpan<byte> data, List<string> protocols)
    {
        var outer = new Reader(data);
        if (!outer.Vector16(out var names) || !outer.AtEnd) return false;
        var list = new Reader(names);
        while (!list.AtEnd)
        {
            if (!list.Vector8(out var protocol) || protocol.Length == 0) return false;
            protocols.Add(Encoding.ASCII.GetString(protocol));
        }
        return true;
    }

    /// <summary>Reads a TLS structure front to back; every read says whether the bytes were there.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly bool AtEnd => _data.IsEmpty;

        public bool Skip(int count)
        {
            if (_data.Length < count) return false;
            _data = _data[count..];
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (_data.IsEmpty) return false;
            value = _data[0];
            _data = _data[1..];
            return true;
        }

        public bool UInt16(out ushort value)
        {
            value = 0;
            if (_data.Length < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_data);
            _data = _data[2..];
            return true;
        }

        /// <summary>A vector with a one-byte length.</summary>
        public bool Vector8(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!Byte(out var length) || _data.Length < length) return false;
            value = _data[..length];
            _data = _data[length..];
            return true;
        }

        /// <summary>A vector with a two-byte length.</summary>
        public bool Vector16(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!UInt16(out var length) || _data.Length < length) return false;
            value = _data[..length];
            _data = _data[length..];
            return true;
        }
    }
}
