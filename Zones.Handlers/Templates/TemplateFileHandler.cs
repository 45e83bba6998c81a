using Fluid;
using Microsoft.Extensions.Logging;
using Zones.Http;
using Zones.RequestData;

namespace Zones.Handlers.Templates;

/// <summary>
/// Wibble's templatefile, with Liquid (Fluid): for a request path P it renders root/P.liquid when
/// that file exists — /about.html from about.html.liquid; after indexfile, /docs/ from
/// docs/index.html.liquid. Files whose name starts with '_' are partials and layouts, never
/// rendered as pages. Output is HTML-encoded unless a value is piped through <c>raw</c>; includes
/// and layouts come from under the root only; parsed templates are kept until their file changes.
/// The Content-Type is the state's provisional one (from contenttype), else text/html. A template
/// that fails is a 500 for the client and a log line naming the file, line and error.
/// </summary>
public sealed partial class TemplateFileHandler : IZoneHandler
{
    /// <summary>The extension of a template: request path P renders P.liquid under the root.</summary>
    public const string Extension = ".liquid";

    private readonly TemplateFileOptions _options;
    private readonly ILogger<TemplateFileHandler> _logger;
    private readonly TemplateEngine _engine;

    /// <summary>The templatefile handler of one zone; the registry makes it from zones.json.</summary>
    /// <param name="options">The zone's options, validated.</param>
    /// <param name="zone">Where the zone sits; its Root holds the templates.</param>
    /// <param name="logger">For templates that fail to parse or render.</param>
    public TemplateFileHandler(TemplateFileOptions options, ZoneInfo zone, ILogger<TemplateFileHandler> logger)
    {
        _options = options;
        _logger = logger;
        _engine = new TemplateEngine(zone.Root ?? throw new ArgumentException("templatefile needs a Root.", nameof(zone)), options.MaxSteps);
    }

    /// <summary>Templates parsed and kept, for tests and diagnostics.</summary>
    internal int CachedTemplates => _engine.Cache.Count;

    /// <inheritdoc/>
    public async ValueTask<ZoneResult> HandleAsync(ZoneContext context)
    {
        var suffix = context.Suffix;
        if (suffix.Length == 0 || suffix.EndsWith('/')) return ZoneResult.Pass;
        var name = suffix[(suffix.LastIndexOf('/') + 1)..];
        if (name.StartsWith('_')) return ZoneResult.Pass;
        var subpath = suffix.TrimStart('/') + Extension;
        if (_engine.Files.Resolve(subpath) is not { } path || !File.Exists(path)) return ZoneResult.Pass;

        var request = context.Request;
        if (request.Method is not (HttpMethods.Get or HttpMethods.Head or HttpMethods.Post))
            return ZoneResult.Respond(ZoneResponse.MethodNotAllowed("GET, HEAD, POST"));

        var form = _options.ReadForm && request.Method == HttpMethods.Post && request.HasFormContentType
            ? await request.ReadFormAsync(cancellationToken: context.RequestAborted)
            : RequestForm.Empty;

        var templateContext = _engine.NewContext();
        foreach (var (key, value) in TemplateModel.Build(context, form, _options.Values, DateTimeOffset.UtcNow))
            templateContext.SetValue(key, value);

        string html;
        try
        {
            html = await _engine.RenderAsync(subpath, templateContext);
        }
        catch (TemplateFileException e)
        {
            LogTemplateFailed(_logger, e.File, e.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?", e.Detail, request.ToString(), e.InnerException);
            return ZoneResult.Respond(ZoneResponse.ForStatus(500, "The page's template failed; the server log says why."));
        }
        var contentType = context.State.ResponseHeader(HeaderNames.ContentType) ?? "text/html; charset=utf-8";
        return ZoneResult.Respond(ZoneResponse.Text(html, contentType));
    }

    [LoggerMessage(LogLevel.Error, "Template {File} line {Line}: {Error} (request \"{RequestLine}\")")]
    private static partial void LogTemplateFailed(ILogger logger, string file, string line, string error, string requestLine, Exception? exception);
}
