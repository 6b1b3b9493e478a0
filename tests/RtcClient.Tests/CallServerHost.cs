using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RtcClient.Protocol;
using RtcClient.Server;
using RtcClient.Server.Auth;
using RtcClient.Server.Calls;
using RtcClient.Server.Hosting;

namespace RtcClient.Tests;

/// <summary>A call server on loopback with a token per user ("&lt;name&gt;-token").</summary>
internal sealed class CallServerHost : IAsyncDisposable
{
    private static readonly string[] Users = ["alice", "bob", "carol", "ivr"];
    private readonly WebApplication _app;

    private CallServerHost(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    public CallRegistry Registry => _app.Services.GetRequiredService<CallRegistry>();

    public IServiceProvider Services => _app.Services;

    public static async Task<CallServerHost> StartAsync(Action<RiptServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var tokens = Users.ToDictionary(n => n + "-token", n => n);
        builder.Services.AddRipt(new StaticTokenValidator(tokens), configure);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRipt();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Named by its address, as RiptServerHost does, so calls can be handed to it.
        app.Services.GetRequiredService<CallRegistry>().InstanceUri ??= new Uri(address);
        return new CallServerHost(app, new Uri(address));
    }

    public Task<CallClient> ConnectAsync(string name, Advertisement? advertisement = null, CancellationToken cancellationToken = default)
        => ConnectAsync(name, new SocketsHttpHandler(), advertisement, cancellationToken);

    /// <summary>Connects <paramref name="name"/> through <paramref name="handler"/> (which may interpose on its requests).</summary>
    public Task<CallClient> ConnectAsync(string name, HttpMessageHandler handler, Advertisement? advertisement = null, CancellationToken cancellationToken = default)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = Uri, Token = name + "-token", Name = name, Advertisement = advertisement, HttpHandler = handler,
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
