using RtcClient.Http3;

namespace RtcClient.Media;

/// <summary>
/// Opens media sessions as WebTransport sessions on the same HTTP/3 connection as signaling. The
/// bearer token rides in the access_token query parameter (RFC 6750 section 2.3), because the
/// WebTransport CONNECT carries no custom headers in browsers either.
/// </summary>
public sealed class WebTransportMediaTransport : IMediaTransport
{
    private readonly Http3Handler _handler;

    /// <summary>Uses the given HTTP/3 handler's pooled connections.</summary>
    public WebTransportMediaTransport(Http3Handler handler) => _handler = handler;

    /// <inheritdoc />
    public async ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
    {
        var session = await _handler.OpenWebTransportAsync(WithToken(mediaUri, bearerToken), null, cancellationToken).ConfigureAwait(false);
        return new WebTransportMediaSession(session);
    }

    /// <inheritdoc />
    public async ValueTask<IMediaSession> StartAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
    {
        var session = await _handler.StartWebTransportAsync(WithToken(mediaUri, bearerToken), null, cancellationToken).ConfigureAwait(false);
        return new WebTransportMediaSession(session);
    }

    private static Uri WithToken(Uri mediaUri, string bearerToken)
    {
        ArgumentNullException.ThrowIfNull(mediaUri);
        return new UriBuilder(mediaUri) { Query = "access_token=" + Uri.EscapeDataString(bearerToken) }.Uri;
    }
}
