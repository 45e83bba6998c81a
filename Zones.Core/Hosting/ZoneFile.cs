using Microsoft.Extensions.Configuration;

namespace Zones.Hosting;

/// <summary>The zone file in use. <see cref="Read"/> parses it afresh, turning a missing file or bad JSON into a clear problem.</summary>
public sealed class ZoneFile(string path)
{
    /// <summary>The file's full path; messages about the configuration start with it.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Set when the file could not be read at start; the zone table reports it and the host does not start.</summary>
    public string? LoadError { get; set; }

    /// <summary>
    /// False for a zone table that lives in memory (<c>zones serve ROOT</c> builds one from its
    /// flags): there is no file to follow, and one created later at <see cref="Path"/> must not be loaded.
    /// </summary>
    internal bool Watched { get; init; } = true;

    /// <summary>The file as configuration, or a <see cref="ZoneConfigurationException"/> saying why it cannot be read.</summary>
    public IConfigurationRoot Read()
    {
        if (!File.Exists(Path)) throw new ZoneConfigurationException(Path, ["the file does not exist; create it or pass another with --zones PATH"]);
        try
        {
            return new ConfigurationBuilder().AddJsonFile(Path, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException e)
        {
            throw new ZoneConfigurationException(Path, [$"not valid JSON: {e.InnerException?.Message ?? e.Message}"]);
        }
    }
}
