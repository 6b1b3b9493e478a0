namespace RtcClient.Media;

/// <summary>Opens a leg's media session at its media URI (a WebTransport extended CONNECT).</summary>
public interface IMediaTransport
{
    /// <summary>Opens the session, authenticated with the client's bearer token.</summary>
    ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken);
}
