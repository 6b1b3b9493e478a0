namespace RtcClient.Media;

/// <summary>
/// A media session that can hand each received datagram to a callback on the thread that received it,
/// instead of through <see cref="IMediaSession.ReceiveAsync"/>: a copy, an allocation and a thread hop
/// less per datagram, which is most of the receive cost when one process carries hundreds of legs.
/// </summary>
public interface IPushMediaSession : IMediaSession
{
    /// <summary>
    /// Delivers every datagram received from now on to <paramref name="handler"/> until the session ends
    /// or <paramref name="cancellationToken"/> is cancelled, then completes. The handler must be quick and
    /// must not block; the span is valid only during the call.
    /// </summary>
    Task ReceiveAllAsync(MediaDatagramHandler handler, CancellationToken cancellationToken);
}
