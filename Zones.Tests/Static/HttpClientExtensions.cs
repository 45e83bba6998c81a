
namespace Zones.Tests.Static;

internal static class HttpClientExtensions
{
    /// <summary>Sends a request with headers exactly as given (no validation or reformatting by HttpClient).</summary>
    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, string method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        foreach (var (name, value) in headers)
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"HttpClient refused the header {name}");
        return client.SendAsync(request);
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
