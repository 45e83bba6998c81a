using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Ast;

namespace Zones.Handlers.Templates;

/// <summary>
/// Fluid (Liquid) set up for one root: includes and layouts resolve under it, parsed templates
/// are cached until their file changes, and output is HTML-encoded (<c>| raw</c> opts out).
/// Adds two tags: <c>{% layout '_layout' %}</c> in a page wraps it in that template, which puts
/// the page where it says <c>{% renderbody %}</c>; variables the page assigned are visible there.
/// </summary>
internal sealed partial class TemplateEngine
{
    private const string LayoutKey = "Zones.Layout";
    private const string BodyKey = "Zones.Body";
    private const int MaxLayoutDepth = 8;

    private static readonly FluidParser Parser = CreateParser();

    /// <summary>HTML-encodes &lt; &gt; &amp; ' " but leaves other characters as they are: the page is UTF-8.</summary>
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly TemplateOptions _options;

    public TemplateEngine(string root, int maxSteps)
    {
        Files = new RootedFileProvider(root);
        Cache = new TemplateCache(Files);
        _options = new TemplateOptions
        {
            FileProvider = Files,
#pragma warning disable FLUID001 // experimental in Fluid: see TemplateCache
            TemplateCache = Cache,
#pragma warning restore FLUID001
            MaxSteps = maxSteps,
        };
    }

    public RootedFileProvider Files { get; }

    public TemplateCache Cache { get; }

    public TemplateContext NewContext() => new(_options);

    /// <summary>Renders the template at <paramref name="subpath"/> (and any layouts it names) to a string.</summary>
    public async Task<string> RenderAsync(string subpath, TemplateContext context)
    {
        var body = await RenderOneAsync(subpath, context);
        for (var depth = 0; context.AmbientValues.Remove(LayoutKey, out var layout); depth++)
        {
            if (depth == MaxLayoutDepth) throw new TemplateFileException(subpath, null, $"more than {MaxLayoutDepth} nested layouts");
            var layoutPath = layout as string ?? "";
            if (!layoutPath.EndsWith(".liquid", StringComparison.OrdinalIgnoreCase)) layoutPath += ".liquid";
            context.AmbientValues[BodyKey] = body;
            body = await RenderOneAsync(layoutPath, context);
        }
        return body;
    }

    private async Task<string> RenderOneAsync(string subpath, TemplateContext context) =>
        await RenderAsync(await LoadAsync(subpath), subpath, context);

    /// <summary>Renders a parsed template; <paramref name="name"/> is what an error message calls it.</summary>
    public static async Task<string> RenderAsync(IFluidTemplate template, string name, TemplateContext context)
    {
        using var writer = new StringWriter();
        try
        {
            await template.RenderAsync(writer, Encoder, context);
        }
        catch (Exception e) when (e is not (TemplateFileException or OperationCanceledException))
        {
            throw new TemplateFileException(name, LineOf(e.Message), e.Message, e);
        }
        return writer.ToString();
    }

    /// <summary>A template built into this assembly (Templates/NAME), parsed once.</summary>
    public static IFluidTemplate ParseResource(string name)
    {
        using var stream = typeof(TemplateEngine).Assembly.GetManifestResourceStream("Zones.Handlers.Templates." + name)
            ?? throw new InvalidOperationException($"The built-in template {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parser.TryParse(reader.ReadToEnd(), out var template, out var error)
            ? template
            : throw new TemplateFileException(name, LineOf(error), error);
    }

    private async Task<IFluidTemplate> LoadAsync(string subpath)
    {
        var file = Files.GetFileInfo(subpath);
        if (!file.Exists) throw new TemplateFileException(subpath, null, "the template does not exist under the zone's root");
        if (Cache.TryGetTemplate(subpath, file.LastModified, out var cached)) return cached;
        string source;
        using (var reader = new StreamReader(file.CreateReadStream()))
            source = await reader.ReadToEndAsync();
        if (!Parser.TryParse(source, out var template, out var error))
            throw new TemplateFileException(subpath, LineOf(error), error);
        Cache.SetTemplate(subpath, file.LastModified, template);
        return template;
    }

    private static int? LineOf(string message) =>
        PositionPattern().Match(message) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"at \((\d+):\d+\)")]
    private static partial Regex PositionPattern();

    private static FluidParser CreateParser()
    {
        var parser = new FluidParser();
        parser.RegisterExpressionTag("layout", async (expression, _, _, context) =>
        {
            context.AmbientValues[LayoutKey] = (await expression.EvaluateAsync(context)).ToStringValue();
            return Completion.Normal;
        });
        parser.RegisterEmptyTag("renderbody", async (writer, _, context) =>
        {
            // Already encoded when the page was rendered: written as it is.
            if (context.AmbientValues.TryGetValue(BodyKey, out var body)) await writer.WriteAsync(body as string);
            return Completion.Normal;
        });
        return parser;
    }
}

/// <summary>A template could not be parsed or rendered; names the file and, when known, the line.</summary>
internal sealed class TemplateFileException(string file, int? line, string message, Exception? inner = null)
    : Exception($"{file}{(line is null ? "" : $":{line}")}: {FirstLine(message)}", inner)
{
    public string File { get; } = file;

    public int? Line { get; } = line;

    public string Detail { get; } = FirstLine(message);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
