namespace Zones.Hosting.Commands;

/// <summary>What <c>zones help</c> prints, and every usage error after its reason.</summary>
internal static class CommandUsage
{
    public const string Text = """
        Usage:
          zones serve [ROOT] [--listen 127.0.0.1:8080] [--browse] [--templates]
                                   serve the files of ROOT (default: the current folder) with the static
                                   chain: dirslash, indexfile, contenttype, staticfile (compressed),
                                   dirlist with --browse, templatefile with --templates, notfound
          zones serve --zones FILE [--listen ADDRESS]
                                   serve a zone file
          zones check FILE         print every problem of a zone file, as the server would at start;
                                   exit 1 when there is one
          zones version            print the version
        """;
}
