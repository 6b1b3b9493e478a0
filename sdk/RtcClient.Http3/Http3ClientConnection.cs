using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using RtcClient.Http3.Transport;
using RtcClient.Http3.WebTransport;
using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>
/// The client side of one HTTP/3 connection: requests with streaming bodies both ways and trailers, many at once
/// on the same connection, and WebTransport sessions (<see cref="OpenWebTransportAsync"/>).
/// </summary>
public sealed class Http3ClientConnection : IAsyncDisposable
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
    };

    private readonly Http3Connection _connection;

    private Http3ClientConnection(Http3Connection connection) => _connection = connection;

    /// <summary>True once either side sent GOAWAY: open a new connection for new requests.</summary>
    public bool IsGoingAway => _connection.IsGoingAway;

    /// <summary>Completes when the connection has closed.</summary>
    public Task Closed => _connection.Transport.Closed;

    /// <summary>Connects over QUIC (ALPN h3) to the authority of <paramref name="uri"/>.</summary>
    public static async Task<Http3ClientConnection> ConnectAsync(Uri uri, Http3ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new Http3ClientOptions();
        IPAddress address = IPAddress.TryParse(uri.IdnHost, out var ip)
            ? ip
            : (await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false)).First(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6);
        var quic = new QuicClientConnectionOptions
        {
            ApplicationProtocols = ["h3"],
            RemoteEndPoint = new IPEndPoint(address, uri.Port),
            ServerName = uri.IdnHost,
            PinnedCertificateSha256 = options.PinnedCertificateSha256,
            CertificateValidator = options.CertificateValidator,
            DefaultCloseErrorCode = (long)Http3ErrorCode.NoError,
            DefaultStreamErrorCode = (long)Http3ErrorCode.RequestCancelled,
        };
        options.ConfigureQuic?.Invoke(quic);
        var connection = await QuicConnection.ConnectAsync(quic, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(new QuicH3Transport(connection, isClient: true), options.Http3, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs HTTP/3 over an established transport.</summary>
    internal static async Task<Http3ClientConnection> CreateAsync(IH3Transport transport, Http3Options options, CancellationToken cancellationToken)
    {
        var c = new Http3Connection(transport, options, null);
        await c.StartAsync(cancellationToken).ConfigureAwait(false);
        return new Http3ClientConnection(c);
    }

    internal Http3Connection Connection => _connection;

    /// <summary>
    /// Sends a request. The request content is streamed as DATA frames while the response is read; the response
    /// content streams too (its trailers land in <see cref="HttpResponseMessage.TrailingHeaders"/> at its end).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        Uri uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        Http3RequestStream stream;
        try
        {
            stream = await _connection.OpenRequestStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Http3ProtocolException or QuicException)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, e.Message, e);
        }

        bool handedOver = false;
        try
        {
            var fields = new List<HeaderField>
            {
                new(":method", request.Method.Method),
                new(":scheme", uri.Scheme),
                new(":authority", request.Headers.Host ?? uri.Authority),
                new(":path", uri.PathAndQuery),
            };
            AddHeaders(fields, request.Headers);
            bool hasBody = request.Content is not null;
            if (request.Content is not null)
                AddHeaders(fields, request.Content.Headers);

            await stream.WriteHeadersAsync(fields, !hasBody, cancellationToken).ConfigureAwait(false);
            Task body = hasBody ? SendBodyAsync(stream, request.Content!, cancellationToken) : Task.CompletedTask;

            int status;
            List<HeaderField> headers;
            do
            {
                headers = await stream.ReadHeadersAsync(cancellationToken).ConfigureAwait(false);
                status = Http3MessageValidator.ValidateResponse(headers);
            }
            while (status is >= 100 and < 200);

            var response = new HttpResponseMessage((HttpStatusCode)status) { Version = HttpVersion.Version30, RequestMessage = request };
            var content = new StreamContent(new Http3BodyReadStream(stream, t =>
            {
                foreach (var f in t)
                    response.TrailingHeaders.TryAddWithoutValidation(f.Name, f.Value);
            }, ownsRequest: true));
            response.Content = content;
            foreach (var f in headers)
            {
                if (f.Name.StartsWith(':'))
                    continue;
                if (!response.Headers.TryAddWithoutValidation(f.Name, f.Value))
                    content.Headers.TryAddWithoutValidation(f.Name, f.Value);
            }

            handedOver = true;
            _ = body.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            return response;
        }
        catch (Http3ProtocolException e) when (e.IsStreamError)
        {
            stream.Abort(e.ErrorCode);
            throw new HttpRequestException(HttpRequestError.InvalidResponse, e.Message, e);
        }
        catch (Http3ProtocolException e)
        {
            await _connection.AbortAsync(e.ErrorCode).ConfigureAwait(false);
            throw new HttpRequestException(HttpRequestError.HttpProtocolError, e.Message, e);
        }
        catch (QuicException e)
        {
            var error = stream.RejectedByGoAway || e.ApplicationErrorCode == (long)Http3ErrorCode.RequestRejected
                ? HttpRequestError.ConnectionError
                : HttpRequestError.HttpProtocolError;
            throw new HttpRequestException(error, e.Message, e);
        }
        finally
        {
            if (!handedOver)
                await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task SendBodyAsync(Http3RequestStream stream, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            var body = new Http3BodyWriteStream(stream, null);
            await content.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            await stream.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            try
            {
                stream.Stream.Abort(QuicAbortDirection.Write, (long)Http3ErrorCode.RequestCancelled);
            }
            catch (Exception e) when (e is QuicException or InvalidOperationException or ObjectDisposedException)
            {
            }

            throw;
        }
    }

    private static void AddHeaders(List<HeaderField> fields, HttpHeaders headers)
    {
        foreach (var h in headers)
        {
            if (s_skipped.Contains(h.Key))
                continue;
            string name = h.Key.ToLowerInvariant();
            foreach (var v in h.Value)
                fields.Add(new(name, v));
        }
    }

    /// <summary>
    /// Opens a WebTransport session with extended CONNECT (RFC 9220). Waits for the server's SETTINGS, picks the
    /// current dialect when the server advertises it and draft-02 otherwise, and offers <paramref name="protocols"/>
    /// in WT-Available-Protocols (current dialect). Throws <see cref="HttpRequestException"/> on a non-2xx answer.
    /// </summary>
    public Task<WebTransportSession> OpenWebTransportAsync(Uri uri, IReadOnlyList<string>? protocols = null, CancellationToken cancellationToken = default)
        => OpenWebTransportCoreAsync(uri, protocols, null, cancellationToken);

    /// <summary>
    /// Sends the extended CONNECT of a WebTransport session and returns the session without waiting for the
    /// response: datagrams and streams may be sent at once (draft-ietf-webtrans-http3 allows a client to use a
    /// session optimistically), saving a round trip. <see cref="WebTransportSession.Established"/> completes on the
    /// server's 2xx; when the server refuses, it faults with <see cref="HttpRequestException"/> and the session closes.
    /// </summary>
    public Task<WebTransportSession> StartWebTransportAsync(Uri uri, IReadOnlyList<string>? protocols = null, CancellationToken cancellationToken = default)
        => StartWebTransportCoreAsync(uri, protocols, null, cancellationToken);

    internal async Task<WebTransportSession> OpenWebTransportCoreAsync(Uri uri, IReadOnlyList<string>? protocols, WebTransportDialect? forceDialect, CancellationToken cancellationToken)
    {
        var session = await StartWebTransportCoreAsync(uri, protocols, forceDialect, cancellationToken).ConfigureAwait(false);
        try
        {
            await session.Established.WaitAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch (Exception)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<WebTransportSession> StartWebTransportCoreAsync(Uri uri, IReadOnlyList<string>? protocols, WebTransportDialect? forceDialect, CancellationToken cancellationToken)
    {
        var settings = await _connection.PeerSettings.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!settings.EnableConnectProtocol || !(settings.WebTransportCurrent || settings.WebTransportDraft02))
            throw new HttpRequestException(HttpRequestError.ExtendedConnectNotSupported, "the server does not support WebTransport");
        var dialect = forceDialect ?? (settings.WebTransportCurrent ? WebTransportDialect.Current : WebTransportDialect.Draft02);
        var stream = await _connection.OpenRequestStreamAsync(cancellationToken).ConfigureAwait(false);
        WebTransportSession session;
        try
        {
            var fields = new List<HeaderField>
            {
                new(":method", "CONNECT"),
                new(":protocol", dialect == WebTransportDialect.Current ? "webtransport-h3" : "webtransport"),
                new(":scheme", "https"),
                new(":authority", uri.Authority),
                new(":path", uri.PathAndQuery),
            };
            if (dialect == WebTransportDialect.Draft02)
                fields.Add(new("sec-webtransport-http3-draft02", "1"));
            else if (protocols is { Count: > 0 })
                fields.Add(new("wt-available-protocols", string.Join(", ", protocols.Select(p => "\"" + p + "\""))));
            // Registered before the CONNECT leaves, so datagrams and streams that overtake the response find it.
            session = new WebTransportSession(stream, dialect, null);
            if (!_connection.RegisterSession(session))
                throw new InvalidOperationException("too many WebTransport sessions on this connection");
            await stream.WriteHeadersAsync(fields, false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (_connection.TryGetSession(stream.StreamId) is { } registered)
                registered.OnRefused(e); // ends what may already have been routed to it
            _connection.UnregisterSession(stream.StreamId);
            stream.Abort(Http3ErrorCode.RequestCancelled);
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _ = AwaitWebTransportResponseAsync(session, stream);
        return session;
    }

    private async Task AwaitWebTransportResponseAsync(WebTransportSession session, Http3RequestStream stream)
    {
        // Bounded: a server that never answers must not leave the session (and the connection's drain) waiting forever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_connection.Closing);
        timeout.CancelAfter(_connection.Options.WebTransportResponseTimeout);
        try
        {
            var headers = await stream.ReadHeadersAsync(timeout.Token).ConfigureAwait(false);
            int status = Http3MessageValidator.ValidateResponse(headers);
            if (status is < 200 or > 299)
                throw new HttpRequestException(HttpRequestError.Unknown, $"WebTransport refused with status {status.ToString(CultureInfo.InvariantCulture)}", null, (HttpStatusCode)status);
            string? selected = headers.FirstOrDefault(h => h.Name == "wt-protocol").Value;
            var chosen = Http3RequestContext.ParseProtocols(selected);
            session.OnAccepted(chosen.Count > 0 ? chosen[0] : null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var why = e as HttpRequestException ?? new HttpRequestException(HttpRequestError.Unknown, "the WebTransport CONNECT got no response: " + e.Message, e);
            session.OnRefused(why);
            stream.Abort(Http3ErrorCode.RequestCancelled);
        }
    }

    /// <summary>Graceful shutdown: GOAWAY, then close once requests in flight are done (bounded by the token).</summary>
    public Task ShutdownAsync(CancellationToken cancellationToken = default) => _connection.ShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
