using System.Text;

namespace Zones.Http;

/// <summary>Method names. The parser returns these instances for the standard methods, so a request allocates no method string.</summary>
public static class HttpMethods
{
    public const string Get = "GET";
    public const string Head = "HEAD";
    public const string Post = "POST";
    public const string Put = "PUT";
    public const string Delete = "DELETE";
    public const string Patch = "PATCH";
    public const string Options = "OPTIONS";
    public const string Trace = "TRACE";
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
