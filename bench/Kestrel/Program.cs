// The reference server for bench/run.sh: ASP.NET Core's Kestrel at its leanest, serving what
// Zones serves — /plaintext, static files from --root, and a WebSocket echo at /ws.
using Microsoft.Extensions.FileProviders;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
// --accesslog FOLDER: ASP.NET Core's own access log, W3C format in files written in batches —
// the peer of Zones' Server:AccessLog for bench/run.sh's plaintext-accesslog row.
var accessLog = builder.Configuration["accesslog"];
if (accessLog is not null) builder.Services.AddW3CLogging(o => o.LogDirectory = accessLog);
var app = builder.Build();
if (accessLog is not null) app.UseW3CLogging();
var root = app.Configuration["root"] ?? throw new ArgumentException("--root FOLDER is required");
var hello = "Hello, World!"u8.ToArray();

app.UseWebSockets();
app.Use(async (context, next) =>
{
    if (context.Request.Path == "/plaintext")
    {
        // The TechEmpower "platform" way: bytes straight to the body, no routing or formatting.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = hello.Length;
        await context.Response.Body.WriteAsync(hello);
        return;
    }
    if (context.Request.Path == "/ws" && context.WebSockets.IsWebSocketRequest)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
        }
    }
    await next(context);
});
app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.GetFullPath(root)) });
app.Run();
