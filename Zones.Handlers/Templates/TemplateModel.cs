using Zones.RequestData;

namespace Zones.Handlers.Templates;

/// <summary>
/// What a template sees, as plain dictionaries and lists (so nothing of the server's objects is
/// reachable from a template):
/// <c>request</c> (method, path, target, query_string, protocol, host, remote_address, remote_port, user,
/// headers, query, query_all, cookies, form, form_all, files — each file a map of name, filename, content_type, length), <c>zone</c> (prefix, suffix),
/// <c>options</c> (the zone's "Values") and <c>now</c>.
/// </summary>
internal static class TemplateModel
{
    public static Dictionary<string, object?> Build(ZoneContext context, RequestForm form, IReadOnlyDictionary<string, string> values, DateTimeOffset now)
    {
        var request = context.Request;
        var headers = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
            headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;

        return new Dictionary<string, object?>
        {
            ["request"] = new Dictionary<string, object?>
            {
                ["method"] = request.Method,
                ["path"] = context.Path,
                ["target"] = request.Target,
                ["query_string"] = request.QueryString,
                ["protocol"] = request.Protocol,
                ["host"] = request.Host,
                ["remote_address"] = request.RemoteEndPoint?.Address.ToString() ?? "",
                ["remote_port"] = request.RemoteEndPoint?.Port ?? 0,
                ["user"] = context.State.User ?? "", // the user a guard zone (basicauth, bearer) checked
                ["headers"] = headers,
                ["query"] = First(request.Query),
                ["query_all"] = All(request.Query),
                ["cookies"] = First(request.Cookies),
                ["form"] = First(form.Fields),
                ["form_all"] = All(form.Fields),
                ["files"] = form.Files.Select(f => new Dictionary<string, object?>
                {
                    ["name"] = f.Name,
                    ["filename"] = f.FileName,
                    ["content_type"] = f.ContentType,
                    ["length"] = f.Length, // not "size": Liquid's size of a map is its number of keys
                }).ToList(),
            },
            ["zone"] = new Dictionary<string, object?> { ["prefix"] = context.Prefix, ["suffix"] = context.Suffix },
            ["options"] = values.ToDictionary(v => v.Key, v => (object?)v.Value, StringComparer.OrdinalIgnoreCase),
            ["now"] = now,
        };
    }

    /// <summary>name → its first value.</summary>
    private static Dictionary<string, object?> First(ParameterList list)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in list) map.TryAdd(name, value);
        return map;
    }

    /// <summary>name → every value, in order.</summary>
    private static Dictionary<string, object?> All(ParameterList list) =>
        list.Names.ToDictionary(n => n, n => (object?)list.GetValues(n).ToList(), StringComparer.Ordinal);
}
