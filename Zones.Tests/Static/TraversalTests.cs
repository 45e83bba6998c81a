using System.Text;

namespace Zones.Tests.Static;

/// <summary>
/// Requests that try to reach a file beside the root. The secret's content and name must never
/// appear in any answer, and each attempt must end in 400 or 404.
/// </summary>
public sealed class TraversalTests : IDisposable
{
    private const string S = StaticSite.SecretName;
    private readonly StaticSite _site = new();

    public TraversalTests()
    {
        _site.Write("index.html", "<p>home</p>");
        _site.Write("sub/page.txt", "page");
        File.CreateSymbolicLink(Path.Combine(_site.Root, "escape.txt"), _site.SecretPath);
        File.CreateSymbolicLink(Path.Combine(_site.Root, "relative-escape.txt"), "../" + S);
        Directory.CreateSymbolicLink(Path.Combine(_site.Root, "escdir"), _site.Folder);
        Directory.CreateSymbolicLink(Path.Combine(_site.Root, "sub", "up"), "../..");
    }

    public void Dispose() => _site.Dispose();

    public static TheoryData<string> Attempts => new(
        $"/../{S}",
        $"/../../../../../../{S}",
        "/../../../../../../etc/passwd",
        $"/%2e%2e/{S}",
        $"/%2E%2E/{S}",
        $"/.%2e/{S}",
        $"/%2e./{S}",
        $"/.%2e/.%2e/{S}",
        $"/sub/../../{S}",
        $"/sub/%2e%2e/%2e%2e/{S}",
        $"/sub/./../.././{S}",
        $"/%252e%252e/{S}",
        $"/%252e%252e%252f{S}",
        $"/sub/..%252f..%252f{S}",
        $"/..%2f{S}",
        $"/..%2F{S}",
        $"/sub/..%2f..%2f{S}",
        $"/%2e%2e%2f%2e%2e%2f{S}",
        $"/..\\{S}",
        $"/sub\\..\\..\\{S}",
        $"/..%5c{S}",
        $"/..%5C{S}",
        $"/%2e%2e%5c%2e%2e%5c{S}",
        $"/%c0%ae%c0%ae/{S}",
        $"/%c0%ae%c0%ae%c0%af{S}",
        $"/..%c0%af{S}",
        $"/%e0%80%ae%e0%80%ae/{S}",
        $"/%ef%bc%8e%ef%bc%8e/{S}",  // fullwidth dots are just a name
        $"/..%00/{S}",
        $"/{S}%00.txt",
        $"/%00../{S}",
        $"//../{S}",
        $"/...//{S}",
        $"/....//....//{S}",
        $"/..;/{S}",
        "/escape.txt",
        "/relative-escape.txt",
        "/escape.txt/",
        $"/escdir/{S}",
        "/escdir/",
        "/escdir",
        $"/sub/up/{S}",
        "/sub/up/",
        $"http://t/../{S}",
        $"http://t/%2e%2e/{S}",
        $"../{S}",
        $"/{Path.GetTempPath().Trim('/')}/{S}",
        $"/file:///{S}",
        $"/~/../{S}");

    [Theory]
    [MemberData(nameof(Attempts))]
    public async Task Nothing_outside_the_root_is_ever_sent(string target)
    {
        await using var server = await _site.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        var everything = response.StatusLine + string.Concat(response.HeaderList.Select(h => h.Key + h.Value)) + Encoding.Latin1.GetString(response.Body);
        Assert.DoesNotContain(StaticSite.SecretContent, everything);
        Assert.DoesNotContain(S, everything);
        Assert.True(response.Status is 400 or 404, $"{target} → {response.StatusLine}");
    }

    [Fact]
    public async Task The_secret_is_really_there_for_a_server_that_allows_escaping_links()
    {
        // Guards the corpus: the links above do reach the secret when the zone allows it.
        await using var server = await _site.StartAsync(root: new Zones.Handlers.Static.RootOptions { AllowSymlinksOutsideRoot = true });
        using var client = server.CreateClient();
        Assert.Equal(StaticSite.SecretContent, await client.GetStringAsync("/escape.txt"));
        Assert.Equal(StaticSite.SecretContent, await client.GetStringAsync($"/escdir/{S}"));
    }
}
