using System.Buffers;
using System.Collections.Immutable;
using System.Text;

namespace Zones.Http;

/// <summary>
/// The fields a listener adds to every response head, encoded once: <c>Server</c> (unless the
/// handler names its own) and, on a TLS listener that asks for it, <c>Strict-Transport-Security</c>
/// (unless the handler sets its own; never over plain HTTP, RFC 6797 §7.2).
/// </summary>
internal sealed class ResponseFields
{
    private readonly byte[] _server;
    private readonly byte[] _hsts;

    public ResponseFields(string? serverHeader, string? strictTransportSecurity = null)
    {
        _server = string.IsNullOrEmpty(serverHeader) ? [] : Encoding.ASCII.GetBytes($"Server: {serverHeader}\r\n");
        _hsts = string.IsNullOrEmpty(strictTransportSecurity) ? [] : Encoding.ASCII.GetBytes($"Strict-Transport-Security: {strictTransportSecurity}\r\n");
    }

    internal void Write(IBufferWriter<byte> output, HttpHeaders handlerHeaders, ImmutableHashSet<string>? removed)
    {
        if (_server.Length > 0 && !handlerHeaders.Contains(HeaderNames.Server) && removed?.Contains(HeaderNames.Server) != true) output.Write(_server);
        if (_hsts.Length > 0 && !handlerHeaders.Contains(HeaderNames.StrictTransportSecurity) && removed?.Contains(HeaderNames.StrictTransportSecurity) != true) output.Write(_hsts);
    }
}
