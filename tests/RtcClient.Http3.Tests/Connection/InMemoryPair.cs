using RtcClient.Http3.Transport;

namespace RtcClient.Http3.Tests.Connection;

/// <summary>Our HTTP/3 client and server connected in memory.</summary>
internal sealed class InMemoryPair : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private InMemoryPair(Http3Server server, Http3ClientConnection client, InMemoryH3Transport clientTransport, InMemoryH3Transport serverTransport, Task serving)
    {
        Server = server;
        Client = client;
        ClientTransport = clientTransport;
        ServerTransport = serverTransport;
        Serving = serving;
    }

    public Http3Server Server { get; }
    public Http3ClientConnection Client { get; }
    public InMemoryH3Transport ClientTransport { get; }
    public InMemoryH3Transport ServerTransport { get; }
    public Task Serving { get; }

    public static Task<InMemoryPair> StartAsync(Func<Http3RequestContext, Task> handler, Http3Options? serverOptions = null, Http3Options? clientOptions = null)
        => StartAsync(handler, new Http3ServerOptions { Http3 = serverOptions ?? new Http3Options() }, clientOptions);

    public static async Task<InMemoryPair> StartAsync(Func<Http3RequestContext, Task> handler, Http3ServerOptions options, Http3Options? clientOptions = null)
    {
        var (c, s) = InMemoryH3Transport.CreatePair();
        var server = new Http3Server(options, handler);
        Task serving = server.ServeAsync(s);
        var client = await Http3ClientConnection.CreateAsync(c, clientOptions ?? new Http3Options(), CancellationToken.None).WaitAsync(Timeout);
        return new InMemoryPair(server, client, c, s, serving);
    }

    public HttpClient CreateHttpClient() =>
        new(new Http3Handler((_, _) => Task.FromResult(Client)), disposeHandler: false) { BaseAddress = new Uri("https://localhost/"), Timeout = Timeout };

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Serving.WaitAsync(Timeout);
    }
}
