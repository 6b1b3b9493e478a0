using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RtcClient.Http3.Transport;

namespace RtcClient.Http3.AspNetCore;

/// <summary>
/// An ASP.NET Core <see cref="IServer"/> over our HTTP/3 server, so minimal APIs, middleware, routing and
/// authentication run unchanged on HTTP/3 (and WebTransport through IHttpWebTransportFeature / <see cref="IRtcWebTransportFeature"/>).
/// </summary>
public sealed class RtcHttp3Server : IServer
{
    private readonly Http3ServerOptions _options;
    private readonly ServerAddressesFeature _addresses = new();
    private Http3Server? _server;

    /// <summary>Creates the server from options configured with <see cref="RtcHttp3WebHostBuilderExtensions.UseRtcHttp3"/>.</summary>
    public RtcHttp3Server(IOptions<Http3ServerOptions> options)
    {
        _options = options.Value;
        Features.Set<IServerAddressesFeature>(_addresses);
    }

    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _server = new Http3Server(_options, ctx => ProcessAsync(application, ctx));
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var ep in _server.LocalEndPoints)
            _addresses.Addresses.Add("https://" + ep);
    }

    /// <summary>Serves one connection over a given transport (in-memory tests).</summary>
    internal Task ServeAsync(IH3Transport transport)
        => (_server ?? throw new InvalidOperationException("the server is not started")).ServeAsync(transport);

    private static async Task ProcessAsync<TContext>(IHttpApplication<TContext> application, Http3RequestContext request)
        where TContext : notnull
    {
        using var features = new RtcHttp3RequestFeatures(request);
        var collection = new FeatureCollection();
        collection.Set<IHttpRequestFeature>(features);
        collection.Set<IHttpResponseFeature>(features);
        collection.Set<IHttpResponseBodyFeature>(features);
        collection.Set<IHttpRequestBodyDetectionFeature>(features);
        collection.Set<IHttpRequestLifetimeFeature>(features);
        collection.Set<IHttpConnectionFeature>(features);
        collection.Set<ITlsConnectionFeature>(features);
        collection.Set<IHttpRequestTrailersFeature>(features);
        collection.Set<IHttpResponseTrailersFeature>(features);
        collection.Set<IHttpRequestIdentifierFeature>(features);
        collection.Set<IHttpExtendedConnectFeature>(features);
#pragma warning disable CA2252 // ASP.NET Core's WebTransport feature is preview; we provide it on purpose.
        collection.Set<IHttpWebTransportFeature>(features);
#pragma warning restore CA2252
        collection.Set<IRtcWebTransportFeature>(features);

        TContext context = application.CreateContext(collection);
        Exception? error = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            if (features.Session is null)
                await features.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
            if (features.HasStarted)
                request.Abort(Http3ErrorCode.InternalError);
            else
                throw;
        }
        finally
        {
            await features.RunOnCompletedAsync().ConfigureAwait(false);
            application.DisposeContext(context, error);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _server?.ShutdownAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = new List<string>();
        public bool PreferHostingUrls { get; set; }
    }
}
