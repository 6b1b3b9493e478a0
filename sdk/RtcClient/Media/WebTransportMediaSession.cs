using RtcClient.Http3.WebTransport;

namespace RtcClient.Media;

/// <summary>A leg's media session over a WebTransport session's datagrams (used on both client and server).</summary>
public sealed class WebTransportMediaSession : IMediaSession
{
    private readonly WebTransportSession _session;

    /// <summary>Wraps an open WebTransport session; disposing this closes it.</summary>
    public WebTransportMediaSession(WebTransportSession session) => _session = session;

    /// <summary>The underlying WebTransport session.</summary>
    public WebTransportSession Session => _session;

    /// <inheritdoc />
    public int MaxDatagramSize => _session.MaxDatagramPayloadSize;

    /// <inheritdoc />
    public bool TrySend(ReadOnlySpan<byte> datagram) => datagram.Length <= MaxDatagramSize && _session.SendDatagram(datagram);

    /// <inheritdoc />
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_session.IsClosed) return 0;
        try
        {
            return await _session.ReadDatagramAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or HttpRequestException)
        {
            // The session or its connection is gone: the media session has ended.
            return 0;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
