namespace Zones.Http;

public enum HttpVersion
{
    Http10,
    Http11,
}
