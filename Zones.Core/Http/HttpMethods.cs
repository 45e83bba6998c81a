using System.Text;

namespace Zones.Http;

/// <summary>Method names. The parser returns these instances for the standard methods, so a request allocates no method string.</summary>
public static class HttpMethods
{
    /// <summary>GET: fetch a representation.</summary>
    public const string Get = "GET";
    /// <summary>HEAD: as GET, without the body.</summary>
    public const string Head = "HEAD";
    /// <summary>POST: process the enclosed body (a form, an event to publish).</summary>
    public const string Post = "POST";
    /// <summary>PUT: replace the target with the enclosed body.</summary>
    public const string Put = "PUT";
    /// <summary>DELETE: remove the target.</summary>
    public const string Delete = "DELETE";
    /// <summary>PATCH: change part of the target (RFC 5789).</summary>
    public const string Patch = "PATCH";
    /// <summary>OPTIONS: ask what the target supports; a CORS preflight.</summary>
    public const string Options = "OPTIONS";
    /// <summary>TRACE: echo the request back (RFC 9110 §9.3.8).</summary>
    public const string Trace = "TRACE";
    /// <summary>CONNECT: open a tunnel through a proxy (RFC 9110 §9.3.6).</summary>
    public const string Connect = "CONNECT";

    private static readonly string[] Known = [Get, Head, Post, Put, Delete, Patch, Options, Trace, Connect];

    internal static string Intern(ReadOnlySpan<byte> method)
    {
        foreach (var known in Known)
        {
            // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
            if (method.Length == known.Length && Ascii.Equals(method, known)) return known;
        }
        return Encoding.ASCII.GetString(method);
    }
}
