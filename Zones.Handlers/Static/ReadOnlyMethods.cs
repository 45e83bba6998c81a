
namespace Zones.Handlers.Static;

/// <summary>Files and listings are read, never written: GET and HEAD only, anything else 405.</summary>
internal static class ReadOnlyMethods
{
    public static bool Allow(HttpRequest request) => request.Method is "GET" or "HEAD";

    public static ZoneResult MethodNotAllowed() => ZoneResult.Respond(ZoneResponse.MethodNotAllowed("GET, HEAD"));
}
