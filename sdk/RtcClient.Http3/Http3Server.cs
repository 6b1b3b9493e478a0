using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using RtcClient.Http3.Transport;
using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>
/// An HTTP/3 server over our QUIC listener (ALPN h3): every request becomes an <see cref="Http3RequestContext"/>
/// passed to the handler. A handler exception becomes a 500 (or a stream reset once the response started).
/// </summary>
public sealed class Http3Server : IAsyncDisposable
{
    private readonly Http3ServerOptions _options;
    private readonly Func<Http3RequestContext, Task> _handler;
    private readonly List<QuicListener> _listeners = [];
    private readonly ConcurrentDictionary<Http3Connection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Timer? _heartbeat;
    private long _connectionCounter;

    /// <summary>Creates a server; call <see cref="StartAsync"/> to listen.</summary>
    public Http3Server(Http3ServerOptions options, Func<Http3RequestContext, Task> handler)
    {
        _options = options;
        _handler = handler;
        // One timer for every stream's stall deadline: nothing per request.
        var shortest = new[] { options.RequestHeadersTimeout, options.RequestBodyTimeout }.Where(t => t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan).DefaultIfEmpty().Min();
        if (shortest > TimeSpan.Zero)
        {
            var period = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 10, 1000));
            _heartbeat = new Timer(static s => ((Http3Server)s!).CheckDeadlines(), this, period, period);
        }
    }

    private void CheckDeadlines()
    {
        long now = Environment.TickCount64;
        foreach (var connection in _connections.Keys)
        {
            foreach (var request in connection.ActiveRequestStreams)
                request.CheckDeadline(now);
        }
    }

    internal IEnumerable<Http3Connection> Connections => _connections.Keys;

    /// <summary>The bound addresses once started.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listeners.Select(l => l.LocalEndPoint).ToArray();

    /// <summary>Binds the listeners and starts accepting connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_options.EndPoints.Count == 0)
            return;
        var certificate = _options.ServerCertificate ?? throw new InvalidOperationException("a server certificate is required");
        foreach (var endPoint in _options.EndPoints)
        {
            var connectionOptions = new QuicServerConnectionOptions
            {
                ApplicationProtocols = ["h3"],
                ServerCertificate = certificate,
                DefaultCloseErrorCode = (long)Http3ErrorCode.NoError,
                DefaultStreamErrorCode = (long)Http3ErrorCode.RequestCancelled,
            };
            _options.ConfigureQuic?.Invoke(connectionOptions);
            var listener = await QuicListener.ListenAsync(new QuicListenerOptions
            {
                ListenEndPoint = endPoint,
                ApplicationProtocols = ["h3"],
                ConnectionOptions = connectionOptions,
            }, cancellationToken).ConfigureAwait(false);
            _listeners.Add(listener);
            _ = Task.Run(() => AcceptLoopAsync(listener), CancellationToken.None);
        }
    }

    private async Task AcceptLoopAsync(QuicListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            QuicConnection connection;
            try
            {
                connection = await listener.AcceptConnectionAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (QuicException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(new QuicH3Transport(connection, isClient: false)), CancellationToken.None);
        }
    }

    /// <summary>Serves one connection until it closes (also used over the in-memory transport).</summary>
    internal async Task ServeAsync(IH3Transport transport)
    {
        string id = Interlocked.Increment(ref _connectionCounter).ToString(CultureInfo.InvariantCulture);
        var connection = new Http3Connection(transport, _options.Http3, r => HandleRequestAsync(r, id));
        _connections[connection] = 0;
        try
        {
            await connection.StartAsync(_stopping.Token).ConfigureAwait(false);
            await transport.Closed.ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException)
        {
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleRequestAsync(Http3RequestStream stream, string connectionId)
    {
        Http3RequestContext? context = null;
        try
        {
            stream.BodyTimeout = _options.RequestBodyTimeout;
            stream.StartHeadersDeadline(_options.RequestHeadersTimeout);
            var headers = await stream.ReadHeadersAsync(stream.Connection.Closing).ConfigureAwait(false);
            stream.ClearDeadline();
            var head = Http3MessageValidator.ValidateRequest(headers);
            if (head.Protocol is not null && !_options.Http3.EnableWebTransport)
                throw new Http3ProtocolException(Http3ErrorCode.MessageError, "extended CONNECT is not enabled", isStreamError: true);
            context = new Http3RequestContext(stream, head, headers, connectionId);
            try
            {
                await _handler(context).ConfigureAwait(false);
            }
            catch (Exception) when (!context.HasStarted)
            {
                // A client that stopped sending its body gets 408 Request Timeout; any other failure is ours.
                context.StatusCode = stream.BodyStalled ? 408 : 500;
                context.ResponseHeaders.Clear();
                context.ResponseTrailers.Clear();
            }
            catch (Exception)
            {
                context.Abort(Http3ErrorCode.InternalError);
                return;
            }

            await context.CompleteAsync(stream.Connection.Closing).ConfigureAwait(false);
        }
        catch (Http3ProtocolException e) when (e.IsStreamError)
        {
            stream.Abort(e.ErrorCode);
        }
        catch (Http3ProtocolException e)
        {
            await stream.Connection.AbortAsync(e.ErrorCode).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            stream.Abort(Http3ErrorCode.RequestCancelled);
        }
        finally
        {
            if (context?.IsWebTransportSession != true)
                await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Graceful shutdown: stops accepting, sends GOAWAY on every connection, waits (bounded) for requests in flight.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        _stopping.Cancel();
        foreach (var l in _listeners)
            await l.DisposeAsync().ConfigureAwait(false);
        _listeners.Clear();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ShutdownTimeout);
        await Task.WhenAll(_connections.Keys.Select(c => c.ShutdownAsync(timeout.Token))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
        await ShutdownAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
