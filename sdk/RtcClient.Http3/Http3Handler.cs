using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3;

/// <summary>
/// An <see cref="HttpMessageHandler"/> over HTTP/3, so <see cref="HttpClient"/> works on our stack. One connection
/// per authority is reused for all requests; a connection that is going away (GOAWAY) or closed is replaced.
/// </summary>
public sealed class Http3Handler : HttpMessageHandler
{
    private readonly Func<Uri, CancellationToken, Task<Http3ClientConnection>> _connect;
    private readonly Dictionary<string, Task<Http3ClientConnection>> _connections = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();

    /// <summary>Creates a handler connecting with the given options.</summary>
    public Http3Handler(Http3ClientOptions? options = null)
        : this((uri, ct) => Http3ClientConnection.ConnectAsync(uri, options, ct))
    {
    }

    internal Http3Handler(Func<Uri, CancellationToken, Task<Http3ClientConnection>> connect) => _connect = connect;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        for (int attempt = 0; ; attempt++)
        {
            var connection = await GetConnectionAsync(uri, cancellationToken).ConfigureAwait(false);
            try
            {
                return await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt == 0 && e.HttpRequestError == HttpRequestError.ConnectionError && request.Content is null)
            {
                // Rejected by GOAWAY or the connection went away before the request was processed: retry once on a new one.
                Forget(uri, connection);
            }
        }
    }

    /// <summary>Opens a WebTransport session on the pooled connection for the URI's authority.</summary>
    public async Task<WebTransportSession> OpenWebTransportAsync(Uri uri, IReadOnlyList<string>? protocols = null, CancellationToken cancellationToken = default)
    {
        var connection = await GetConnectionAsync(uri, cancellationToken).ConfigureAwait(false);
        return await connection.OpenWebTransportAsync(uri, protocols, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a WebTransport session on the pooled connection without waiting for the server's response
    /// (see <see cref="Http3ClientConnection.StartWebTransportAsync"/>): usable at once, refusal shows in
    /// <see cref="WebTransportSession.Established"/> and <see cref="WebTransportSession.Closed"/>.
    /// </summary>
    public async Task<WebTransportSession> StartWebTransportAsync(Uri uri, IReadOnlyList<string>? protocols = null, CancellationToken cancellationToken = default)
    {
        var connection = await GetConnectionAsync(uri, cancellationToken).ConfigureAwait(false);
        return await connection.StartWebTransportAsync(uri, protocols, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Http3ClientConnection> GetConnectionAsync(Uri uri, CancellationToken cancellationToken)
    {
        string key = uri.Scheme + "://" + uri.Authority;
        Task<Http3ClientConnection> task;
        lock (_gate)
        {
            if (!_connections.TryGetValue(key, out task!) || task.IsFaulted || task.IsCanceled ||
                (task.IsCompletedSuccessfully && (task.Result.IsGoingAway || task.Result.Closed.IsCompleted)))
            {
                task = _connect(uri, CancellationToken.None);
                _connections[key] = task;
            }
        }

        return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Forget(Uri uri, Http3ClientConnection connection)
    {
        string key = uri.Scheme + "://" + uri.Authority;
        lock (_gate)
        {
            if (_connections.TryGetValue(key, out var t) && t.IsCompletedSuccessfully && t.Result == connection)
                _connections.Remove(key);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            List<Task<Http3ClientConnection>> all;
            lock (_gate)
            {
                all = [.. _connections.Values];
                _connections.Clear();
            }

            foreach (var t in all)
            {
                if (t.IsCompletedSuccessfully)
                    t.Result.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        base.Dispose(disposing);
    }
}
