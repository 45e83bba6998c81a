
namespace Zones.RequestData;

/// <summary>
/// A request's form: text fields and uploaded files, from an application/x-www-form-urlencoded
/// or multipart/form-data body (<see cref="HttpRequest.ReadFormAsync"/>). The request owns it:
/// temporary files are deleted when the request ends, or earlier when it is disposed.
/// </summary>
public sealed class RequestForm : IAsyncDisposable
{
    /// <summary>A form with no fields and no files: what a request without a form body reads.</summary>
    public static readonly RequestForm Empty = new(ParameterList.Empty, []);

    internal RequestForm(ParameterList fields, IReadOnlyList<FormFile> files)
    {
        Fields = fields;
        Files = files;
    }

    /// <summary>The text fields, in order; names are case-sensitive.</summary>
    public ParameterList Fields { get; }

    /// <summary>The uploaded files, in order.</summary>
    public IReadOnlyList<FormFile> Files { get; }

    /// <summary>The first field called <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Fields[name];

    /// <summary>The first file uploaded under <paramref name="name"/>, or null.</summary>
    public FormFile? File(string name) => Files.FirstOrDefault(f => f.Name == name);

    /// <summary>Deletes the uploads' temporary files now instead of when the request ends.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var file in Files) file.DeleteTempFile();
        return default;
    }
}
