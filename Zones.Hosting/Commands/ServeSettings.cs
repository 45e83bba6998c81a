namespace Zones.Hosting.Commands;

/// <summary>
/// <c>zones serve</c>'s arguments: a folder (or a zone file) and how to serve it.
/// <see cref="Parse"/> throws <see cref="CommandUsageException"/> saying what is wrong.
/// </summary>
internal sealed record ServeSettings(string? Root, string? Listen, bool Browse, bool Templates, string? ZoneFile)
{
    public static ServeSettings Parse(string[] args)
    {
        string? root = null, listen = null, zoneFile = null;
        bool browse = false, templates = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--browse": browse = true; break;
                case "--templates": templates = true; break;
                case "--listen": listen = Value(args, ref i); break;
                case "--zones": zoneFile = Value(args, ref i); break;
                case not null when arg.StartsWith("--listen=", StringComparison.Ordinal): listen = arg["--listen=".Length..]; break;
                case not null when arg.StartsWith("--zones=", StringComparison.Ordinal): zoneFile = arg["--zones=".Length..]; break;
                case not null when arg.StartsWith('-'): throw new CommandUsageException($"serve: unknown option \"{arg}\"");
                default:
                    if (root is not null) throw new CommandUsageException($"serve: one ROOT folder, not \"{root}\" and \"{arg}\"");
                    root = arg;
                    break;
            }
        }
        if (zoneFile is not null && (root is not null || browse || templates))
            throw new CommandUsageException("serve: --zones FILE serves that file's zones; ROOT, --browse and --templates are for serving a folder without one");
        if (root is not null && !Directory.Exists(root))
            throw new CommandUsageException($"serve: ROOT \"{root}\" is not a folder (looked for {Path.GetFullPath(root)})");
        return new ServeSettings(root, listen, browse, templates, zoneFile);
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CommandUsageException($"serve: {args[i]} needs a value");
        return args[++i];
    }

    /// <summary>--listen as a URL: "127.0.0.1:8080" and "http://127.0.0.1:8080" alike.</summary>
    public string? Url => Listen is null ? null : Listen.Contains("://", StringComparison.Ordinal) ? Listen : "http://" + Listen;
}
