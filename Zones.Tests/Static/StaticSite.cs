using Zones.Handlers;
using Zones.Tests.Infrastructure;
using Zones.Handlers.Static;

namespace Zones.Tests.Static;

/// <summary>
/// A temporary folder holding a site root ("site/") and, beside it, a secret file the server
/// must never send. Serves the root with Wibble's chain, as the demo zones.json does.
/// </summary>
public sealed class StaticSite : IDisposable
{
    public const string SecretContent = "TOP-SECRET-7f3c2a91-outside-the-root";
    public const string SecretName = "outside-secret-7f3c2a91.txt";

    public StaticSite()
    {
        Folder = Directory.CreateTempSubdirectory("zones-static-").FullName;
        Root = Path.Combine(Folder, "site");
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Folder, SecretName), SecretContent);
    }

    /// <summary>The temporary folder: the root and the secret live here.</summary>
    public string Folder { get; }

    public string Root { get; }

    public string SecretPath => Path.Combine(Folder, SecretName);

    /// <summary>Writes a file under the root (creating folders) and returns its full path.</summary>
    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public string Write(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The chain of the demo zones.json on "/": dirslash, indexfile, contenttype, staticfile, dirlist, notfound.</summary>
    public Zone[] Chain(StaticFileOptions? staticFile = null, IndexFileOptions? indexFile = null, ContentTypeOptions? contentType = null, RootOptions? root = null)
    {
        root ??= new RootOptions();
        return
        [
            new Zone("/", new DirSlashHandler(root), Root, "dirslash"),
            new Zone("/", new IndexFileHandler(indexFile ?? new IndexFileOptions { AllowSymlinksOutsideRoot = root.AllowSymlinksOutsideRoot }), Root, "indexfile"),
            new Zone("/", new ContentTypeHandler(contentType ?? new ContentTypeOptions()), null, "contenttype"),
            new Zone("/", new StaticFileHandler(staticFile ?? new StaticFileOptions { AllowSymlinksOutsideRoot = root.AllowSymlinksOutsideRoot }), Root, "staticfile"),
            new Zone("/", new DirListHandler(root), Root, "dirlist"),
            new Zone("/", new NotFoundHandler(), null, "notfound"),
        ];
    }

    public Task<TestServer> StartAsync(StaticFileOptions? staticFile = null, IndexFileOptions? indexFile = null, ContentTypeOptions? contentType = null, RootOptions? root = null) =>
        TestServer.StartAsync(Chain(staticFile, indexFile, contentType, root));

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { } // a file still held by a failed test; the temp folder is the OS's to clean
    }
}
