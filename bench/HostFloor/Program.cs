// The floor under Zones' start-up (bench/startup.sh): the generic host Zones is built on, as
// Zones.Hosting creates it (the empty builder), with one hosted service that answers every
// connection with a fixed 200 from a raw socket — no server, no configuration, no zones.
// HOSTFLOOR_CONSOLE=1 adds the console logger Zones.Hosting adds, to show what that costs alone.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
if (Environment.GetEnvironmentVariable("HOSTFLOOR_CONSOLE") == "1")
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Services.AddHostedService<FixedAnswer>();
await builder.Build().RunAsync();

internal sealed class FixedAnswer(IConfiguration configuration, ILogger<FixedAnswer> logger) : BackgroundService
{
    private static readonly byte[] Answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"u8.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, int.Parse(configuration["port"] ?? "8080")));
        listener.Listen();
        logger.LogInformation("listening");
        var request = new byte[4096];
        while (!stoppingToken.IsCancellationRequested)
        {
            using var connection = await listener.AcceptAsync(stoppingToken);
            await connection.ReceiveAsync(request, stoppingToken);
            await connection.SendAsync(Answer, stoppingToken);
        }
    }
}
