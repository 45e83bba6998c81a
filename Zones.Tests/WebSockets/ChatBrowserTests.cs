using Zones.Tests.Infrastructure;

namespace Zones.Tests.WebSockets;

/// <summary>www/chat.html in headless Chromium, two pages in one room, talking through the chat endpoint.</summary>
public sealed class ChatBrowserTests
{

    [Fact]
    public async Task Two_pages_in_a_room_see_each_others_messages()
    {
        var page = TestHost.RepositoryFile(Path.Combine("www", "chat.html"));
        // The zones of zones.json, with a one-line stand-in for the static file handler.
        await using var server = await WebSocketTestServer.StartAsync(o => o.MaxMessageBytes = 8192, endpoint: "chat", prefix: "/chat",
            moreZones: _ =>
            [
                TestServer.Zone("/chat.html", _ => ZoneResult.Respond(ZoneResponse.File(page, "text/html; charset=utf-8"))),
                TestServer.Zone("/chat.js", _ => ZoneResult.Respond(ZoneResponse.File(Path.ChangeExtension(page, ".js"), "text/javascript; charset=utf-8"))),
            ]);
        await using var session = await Browser.LaunchAsync();
        var ann = await session.NewPageAsync();
        var bob = await session.NewPageAsync();
        var errors = new List<string>();
        foreach (var p in new[] { ann, bob }) p.PageError += (_, e) => errors.Add(e);

        await ann.GotoAsync(server.Server.BaseAddress + "chat.html?name=ann&room=test");
        await ann.WaitForSelectorAsync("body[data-state=connected]");
        await bob.GotoAsync(server.Server.BaseAddress + "chat.html?name=bob&room=test");
        await bob.WaitForSelectorAsync("body[data-state=connected]");
        await ann.WaitForSelectorAsync("#log li:has-text('bob joined (2 here)')");

        await ann.FillAsync("#text", "hello from <ann> & co ✓");
        await ann.PressAsync("#text", "Enter");
        var line = await bob.WaitForSelectorAsync("#log li.message:has-text('hello from')");
        Assert.Equal("ann: hello from <ann> & co ✓", await line!.TextContentAsync());
        // The sender sees its own message too, and the markup arrived as text, not as elements.
        await ann.WaitForSelectorAsync("#log li.message:has-text('hello from')");
        Assert.Equal(0, await bob.Locator("#log ann").CountAsync());

        await bob.CloseAsync();
        await ann.WaitForSelectorAsync("#log li:has-text('bob left (1 here)')");
        Assert.Empty(errors);
    }
}
