namespace RtcClient.Media;

/// <summary>Opens a leg's media session at its media URI (a WebTransport extended CONNECT).</summary>
public interface IMediaTransport
{
    /// <summary>Opens the session, authenticated with the client's bearer token.</summary>
    ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the session without waiting for the server to accept it where the transport allows it
    /// (WebTransport does): datagrams can be sent at once, and the session's round trip overlaps other work.
    /// A session the server refuses ends (its receive side reports the end). The default waits, as
    /// <see cref="OpenAsync"/> does.
    /// </summary>
    ValueTask<IMediaSession> StartAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        => OpenAsync(mediaUri, bearerToken, cancellationToken);
}
