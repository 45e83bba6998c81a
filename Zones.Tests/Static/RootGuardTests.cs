using Zones.Handlers.Static;

namespace Zones.Tests.Static;

public sealed class RootGuardTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("zones-realpath-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("/a%2Fb")]
    [InlineData("/a/..%2F..%2Fetc")]
    [InlineData("/a\\b")]
    [InlineData("/..\\..\\etc\\passwd")]
    [InlineData("/a\0b")]
    public void Segments_that_cannot_name_a_file_are_refused(string path) => Assert.NotNull(RootGuard.BadSegment(path));

    [Theory]
    [InlineData("/a/b.txt")]
    [InlineData("/a%2fb")]   // a literal "%2f" (sent as %252f) is a name like any other
    [InlineData("/")]
    public void Ordinary_paths_pass(string path) => Assert.Null(RootGuard.BadSegment(path));

    [Theory]
    [InlineData("/.env", true)]
    [InlineData("/a/.git/config", true)]
    [InlineData("/.../x", true)]
    [InlineData("/a/.well-known/x", true)]   // only a leading .well-known is public
    [InlineData("/.well-known/security.txt", false)]
    [InlineData("/.well-known/", false)]
    [InlineData("/a.b/c.d", false)]
    [InlineData("", false)]
    public void Dotfiles_are_hidden_except_well_known(string suffix, bool hidden) => Assert.Equal(hidden, RootGuard.HasHiddenSegment(suffix));

    [Fact]
    public void Real_paths_follow_links_through_folders_and_chains()
    {
        var real = Directory.CreateDirectory(Path.Combine(_folder, "real")).FullName;
        Directory.CreateDirectory(Path.Combine(real, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "link"), "real");                 // relative target
        Directory.CreateSymbolicLink(Path.Combine(_folder, "link2"), Path.Combine(_folder, "link")); // absolute target, a chain
        File.CreateSymbolicLink(Path.Combine(real, "sub", "up"), "../../outside.txt");

        Assert.Equal(Path.Combine(real, "sub", "file"), RealPath.Of(Path.Combine(_folder, "link2", "sub", "file")));
        Assert.Equal(Path.Combine(_folder, "outside.txt"), RealPath.Of(Path.Combine(_folder, "link", "sub", "up")));
        Assert.Equal(Path.Combine(real, "missing", "x"), RealPath.Of(Path.Combine(_folder, "link", "missing", "x")));
    }

    [Fact]
    public void A_link_loop_resolves_to_nothing()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_folder, "b"), "a");
        Assert.Null(RealPath.Of(Path.Combine(_folder, "a")));
    }

    [Theory]
    [InlineData("/srv/www", "/srv/www", true)]
    [InlineData("/srv/www/a", "/srv/www", true)]
    [InlineData("/srv/www2/a", "/srv/www", false)]
    [InlineData("/srv", "/srv/www", false)]
    [InlineData("/etc", "/", true)]
    public void Inside_means_the_folder_or_below_it(string path, string folder, bool inside) =>
        Assert.Equal(inside, RootPath.IsInside(path, folder));
}
