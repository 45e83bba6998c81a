
namespace Zones.Handlers.Static;

/// <summary>Options every handler that maps paths under the zone's Root shares.</summary>
public class RootOptions
{
    /// <summary>
    /// Follow symbolic links whose target lies outside the Root. Off by default: such a link is
    /// treated as if it were not there (404), so a stray link cannot publish /etc. Links that stay
    /// inside the Root always work.
    /// </summary>
    public bool AllowSymlinksOutsideRoot { get; set; }

    /// <summary>
    /// File-name patterns (* and ?) that are never served or listed, as if absent; matched
    /// against every segment of the path. The default hides Liquid template sources, so
    /// templatefile's pages and partials cannot be downloaded raw. Dotfiles are always hidden.
    /// </summary>
    public List<string> Hide { get; set; } = ["*.liquid"];
}
