using Microsoft.Extensions.DependencyInjection;
using RtcClient.Media;
using RtcClient.Protocol;
using RtcClient.Server.Media;

namespace RtcClient.Tests.Media;

/// <summary>The call server on Kestrel loopback with clients whose media goes in-process to the server's relay.</summary>
internal sealed class MediaCallHarness : IAsyncDisposable
{
    private readonly List<CallClient> _clients = [];

    private MediaCallHarness(CallServerHost server) => Server = server;

    public CallServerHost Server { get; }

    public MediaRelay Relay => Server.Services.GetRequiredService<MediaRelay>();

    public static async Task<MediaCallHarness> StartAsync(Action<RtcClient.Server.Hosting.RiptServerOptions>? configure = null) => new(await CallServerHost.StartAsync(configure));

    /// <summary>Connects <paramref name="name"/>; <paramref name="wrap"/> may interpose on its media transport.</summary>
    public async Task<CallClient> ConnectAsync(string name, Advertisement? advertisement = null, Action<RtcClientOptions>? configure = null,
        Func<IMediaTransport, IMediaTransport>? wrap = null, CancellationToken cancellationToken = default)
    {
        IMediaTransport transport = new LoopbackMediaTransport(Server.Registry, Relay);
        var options = new RtcClientOptions
        {
            ServerUri = Server.Uri, Token = name + "-token", Name = name, Advertisement = advertisement,
            HttpHandler = new SocketsHttpHandler(), MediaTransport = wrap is null ? transport : wrap(transport),
        };
        configure?.Invoke(options);
        var client = await CallClient.ConnectAsync(options, cancellationToken);
        _clients.Add(client);
        return client;
    }

    /// <summary>Alice calls bob, bob answers; returns both legs once media runs on both.</summary>
    public static async Task<(Call Caller, Call Callee)> EstablishAsync(CallClient caller, CallClient callee, string to, CancellationToken cancellationToken)
    {
        var incoming = NextIncomingAsync(callee, cancellationToken);
        var call = await caller.PlaceCallAsync(to, cancellationToken: cancellationToken);
        var answered = await incoming;
        await answered.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await Task.WhenAll(call.MediaConnected, answered.MediaConnected).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        return (call, answered);
    }

    private static async Task<Call> NextIncomingAsync(CallClient client, CancellationToken cancellationToken)
    {
        await foreach (var call in client.IncomingCallsAsync(cancellationToken)) return call;
        throw new AssertionException("no incoming call");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
