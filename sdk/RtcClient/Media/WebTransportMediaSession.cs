using RtcClient.Http3.WebTransport;

namespace RtcClient.Media;

/// <summary>A leg's media session over a WebTransport session's datagrams (used on both client and server).</summary>
public sealed class WebTransportMediaSession : IPushMediaSession
{
    private readonly WebTransportSession _session;

    /// <summary>Wraps an open WebTransport session; disposing this closes it.</summary>
    public WebTransportMediaSession(WebTransportSession session) => _session = session;

    /// <summary>The underlying WebTransport session.</summary>
    public WebTransportSession Session => _session;

    /// <inheritdoc />
    public int MaxDatagramSize => _session.MaxDatagramPayloadSize;

    /// <inheritdoc />
    public bool TrySend(ReadOnlySpan<byte> datagram) => _session.SendDatagram(datagram); // the connection refuses what is too large

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
    public async Task ReceiveAllAsync(MediaDatagramHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _session.SetDatagramHandler(handler.Invoke);
        try
        {
            await _session.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _session.SetDatagramHandler(null);
        }
    }

    /// <summary>How long closing may wait for the peer before the session is abandoned.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Closing writes WT_CLOSE_SESSION and FIN on the CONNECT stream. A write the peer has stopped fails at once
        // (the HTTP/3 and QUIC layers see to that); the bound is for a peer that is slow or gone, which must not
        // hold up the end of a call.
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await _session.CloseAsync(0, string.Empty, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already closed, or the peer is gone: nothing more to say to it.
        }
        try
        {
            await _session.DisposeAsync().AsTask().WaitAsync(CloseTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection's own teardown will reclaim what is left.
        }
    }
}
