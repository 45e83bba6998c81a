using Zones.Handlers.Static;

namespace Zones.Tests.Static;

public sealed class MediaTypesTests
{
    [Theory]
    [InlineData("/index.html", "text/html; charset=utf-8")]
    [InlineData("/a/b/STYLE.CSS", "text/css; charset=utf-8")]
    [InlineData("/app.mjs", "text/javascript; charset=utf-8")]
    [InlineData("/data.json", "application/json; charset=utf-8")]
    [InlineData("/logo.png", "image/png")]
    [InlineData("/font.woff2", "font/woff2")]
    [InlineData("/archive.tar.gz", "application/gzip")]
    [InlineData("/no-extension", "application/octet-stream")]
    [InlineData("/.profile", "application/octet-stream")]
    [InlineData("/x.unknownext", "application/octet-stream")]
    [InlineData("/dir.d/file", "application/octet-stream")]
    public void Types_come_from_the_extension(string path, string expected) => Assert.Equal(expected, MediaTypes.For(path));

    [Theory]
    [InlineData("text/markdown", true, true)]
    [InlineData("application/ld+json", true, true)]
    [InlineData("image/svg+xml", true, true)]
    [InlineData("application/wasm", false, true)]
    [InlineData("image/png", false, false)]
    [InlineData("application/zip", false, false)]
    [InlineData("video/mp4", false, false)]
    public void Text_and_compressible_types_are_told_apart(string type, bool text, bool compressible)
    {
        Assert.Equal(text, Zones.Http.TextTypes.IsText(type));
        Assert.Equal(compressible, MediaTypes.IsCompressible(type));
    }

    [Theory]
    [InlineData("text/plain", "text/plain; charset=utf-8")]
    [InlineData("text/plain; charset=iso-8859-1", "text/plain; charset=iso-8859-1")]
    [InlineData("image/png", "image/png")]
    public void Text_types_are_labelled_utf8_unless_they_say_otherwise(string type, string expected) =>
        Assert.Equal(expected, Zones.Http.TextTypes.WithUtf8Charset(type));

    [Theory]
    [InlineData("text/markdown", true)]
    [InlineData("application/vnd.api+json; version=2", true)]
    [InlineData("text", false)]
    [InlineData("text/", false)]
    [InlineData("te xt/plain", false)]
    [InlineData("text/plain\r\nX: y", false)]
    public void Type_table_entries_are_checked(string type, bool valid) => Assert.Equal(valid, MediaTypes.IsValid(type));
}
