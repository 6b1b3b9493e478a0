using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using RtcClient.Http3.Capsules;
using RtcClient.Http3.Frames;
using RtcClient.Quic;

namespace RtcClient.Http3.WebTransport;

/// <summary>
/// A WebTransport session over HTTP/3 (established by extended CONNECT): datagrams, bidirectional and
/// unidirectional streams, WT_CLOSE_SESSION and WT_DRAIN_SESSION on the CONNECT stream.
/// </summary>
public sealed class WebTransportSession : IAsyncDisposable
{
    private readonly Http3RequestStream _connect;
    private readonly Channel<byte[]> _datagrams;
    private readonly Channel<WebTransportStream> _incoming = Channel.CreateBounded<WebTransportStream>(256);
    private readonly ConcurrentDictionary<WebTransportStream, byte> _streams = new();
    private readonly TaskCompletionSource<WebTransportCloseInfo> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drain = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closeSent;
    private volatile WebTransportDatagramHandler? _datagramHandler;

    internal WebTransportSession(Http3RequestStream connect, WebTransportDialect dialect, string? protocol)
    {
        _connect = connect;
        Dialect = dialect;
        Protocol = protocol;
        _datagrams = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(connect.Connection.Options.DatagramQueueLength) { FullMode = BoundedChannelFullMode.DropOldest });
    }

    /// <summary>The session ID: the CONNECT stream's ID.</summary>
    public long SessionId => _connect.StreamId;

    /// <summary>The dialect negotiated for this session.</summary>
    public WebTransportDialect Dialect { get; }

    /// <summary>The application protocol selected with WT-Protocol (current dialect), if any; known once <see cref="Established"/>.</summary>
    public string? Protocol { get; private set; }

    /// <summary>
    /// Completes when the server has accepted the session (at once on the server side, and for a session opened
    /// with OpenWebTransportAsync); for one started optimistically it faults with <see cref="HttpRequestException"/>
    /// when the server refuses it, and the session closes.
    /// </summary>
    public Task Established => _established.Task;

    /// <summary>True once the session has ended.</summary>
    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Completes when the session ends, with how it ended.</summary>
    public Task<WebTransportCloseInfo> Closed => _closed.Task;

    /// <summary>Completes when the peer asked to drain the session (WT_DRAIN_SESSION) or the connection is going away.</summary>
    public Task DrainRequested => _drain.Task;

    /// <summary>The largest datagram payload that fits now; 0 when datagrams are unavailable.</summary>
    public int MaxDatagramPayloadSize => Math.Max(0, _connect.Connection.Transport.MaxDatagramPayloadSize - HttpDatagram.GetPrefixLength(SessionId));

    internal void Start()
    {
        _established.TrySetResult();
        _ = Task.Run(ReadCapsulesAsync);
    }

    /// <summary>The server's 2xx arrived for a session started optimistically.</summary>
    internal void OnAccepted(string? protocol)
    {
        Protocol = protocol;
        if (IsClosed)
        {
            // Closed by the application before the answer came: established, but nothing more to read.
            _established.TrySetResult();
            return;
        }
        Start();
    }

    /// <summary>The server refused (or never answered) a session started optimistically: it ends without a close capsule.</summary>
    internal void OnRefused(Exception why)
    {
        Interlocked.Exchange(ref _closeSent, 1);
        _established.TrySetException(why);
        _ = _established.Task.Exception; // observed: a caller that never looks at Established sees Closed instead
        End(new WebTransportCloseInfo(0, why.Message, true));
    }

    /// <summary>Sends a datagram; false when it was not queued (too large, congestion, closed).</summary>
    public bool SendDatagram(ReadOnlySpan<byte> payload) => !IsClosed && _connect.Connection.SendDatagram(SessionId, payload);

    /// <summary>
    /// Hands every datagram received from now on to <paramref name="handler"/> on the thread that received it,
    /// instead of queueing a copy for <see cref="ReadDatagramAsync"/>: no copy, allocation or thread hop per
    /// datagram (what a media relay or a thousand call legs need). The handler must be quick and must not block;
    /// an exception from it drops that datagram. Null goes back to queueing.
    /// </summary>
    public void SetDatagramHandler(WebTransportDatagramHandler? handler)
    {
        _datagramHandler = handler;
        // What was queued before the handler existed goes to it too (datagrams carry no order to keep).
        while (handler is not null && _datagrams.Reader.TryRead(out var queued))
            DeliverDatagram(queued);
    }

    /// <summary>Receives the next datagram into the buffer (truncated to its size); throws when the session ended.</summary>
    public async ValueTask<int> ReadDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] d;
        try
        {
            d = await _datagrams.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new QuicException(QuicError.OperationAborted, "the WebTransport session is closed");
        }

        int n = Math.Min(d.Length, buffer.Length);
        d.AsMemory(0, n).CopyTo(buffer);
        return n;
    }

    /// <summary>Opens a bidirectional stream (signal 0x41 and the session ID are sent first).</summary>
    public ValueTask<WebTransportStream> OpenBidirectionalStreamAsync(CancellationToken cancellationToken = default)
        => OpenAsync(true, cancellationToken);

    /// <summary>Opens a unidirectional stream (type 0x54 and the session ID are sent first).</summary>
    public ValueTask<WebTransportStream> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken = default)
        => OpenAsync(false, cancellationToken);

    private async ValueTask<WebTransportStream> OpenAsync(bool bidirectional, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var s = await _connect.Connection.Transport.OpenStreamAsync(bidirectional, cancellationToken).ConfigureAwait(false);
        var w = new ArrayBufferWriter<byte>(16);
        Http3FrameWriter.WriteVarInt(w, bidirectional ? Http3FrameType.WebTransportStream : Http3StreamType.WebTransport);
        Http3FrameWriter.WriteVarInt(w, SessionId);
        await s.WriteAsync(w.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
        var stream = new WebTransportStream(s, bidirectional ? new Transport.H3StreamReader(s) : null, this);
        _streams[stream] = 0;
        return stream;
    }

    /// <summary>The next stream the peer opened in this session.</summary>
    public async ValueTask<WebTransportStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _incoming.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new QuicException(QuicError.OperationAborted, "the WebTransport session is closed");
        }
    }

    /// <summary>Asks the peer to wrap up (WT_DRAIN_SESSION); nothing is sent once the session is closing or closed.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _closeSent) != 0)
            return;
        var w = new ArrayBufferWriter<byte>();
        var capsule = new ArrayBufferWriter<byte>();
        CapsuleCodec.Write(capsule, CapsuleType.WebTransportDrainSession, []);
        Http3FrameWriter.WriteFrame(w, Http3FrameType.Data, capsule.WrittenSpan);
        await _connect.WriteAsync(w.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the session with WT_CLOSE_SESSION and FIN on the CONNECT stream. Once the peer has closed the session
    /// (its WT_CLOSE_SESSION or FIN was read) there is nothing more to say: this returns without writing.
    /// </summary>
    public async Task CloseAsync(uint errorCode = 0, string message = "", CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) != 0)
            return;
        var capsule = new ArrayBufferWriter<byte>();
        CapsuleCodec.WriteCloseSession(capsule, errorCode, message);
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteFrame(w, Http3FrameType.Data, capsule.WrittenSpan);
        try
        {
            await _connect.WriteAsync(w.WrittenMemory, true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or InvalidOperationException or ObjectDisposedException)
        {
            // The peer stopped or reset the CONNECT stream, or our side had already ended: the session is over anyway.
        }
        finally
        {
            End(new WebTransportCloseInfo(errorCode, message, false));
        }
    }

    /// <summary>
    /// The peer closed the session. Claims our sending side before the session is reported closed, so that
    /// code reacting to <see cref="Closed"/> (a media loop ending, then CloseAsync) never writes WT_CLOSE_SESSION
    /// after the peer's close; then only FINs our side of the CONNECT stream.
    /// </summary>
    private async Task OnPeerClosedAsync(WebTransportCloseInfo info)
    {
        bool finish = Interlocked.Exchange(ref _closeSent, 1) == 0;
        End(info);
        if (!finish)
            return;
        try
        {
            await _connect.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await _connect.DisposeAsync().ConfigureAwait(false);
    }

    internal void DeliverDatagram(ReadOnlySpan<byte> payload)
    {
        if (IsClosed)
            return;
        if (_datagramHandler is { } handler)
        {
            try
            {
                handler(payload);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The application's handler failed on this datagram: it is dropped, the connection goes on.
            }
            return;
        }
        _datagrams.Writer.TryWrite(payload.ToArray());
    }

    internal void DeliverStream(WebTransportStream stream)
    {
        _streams[stream] = 0;
        if (IsClosed || !_incoming.Writer.TryWrite(stream))
        {
            stream.AbortRaw((long)Http3ErrorCode.WebTransportBufferedStreamRejected);
            _streams.TryRemove(stream, out _);
        }
    }

    internal void Forget(WebTransportStream stream) => _streams.TryRemove(stream, out _);

    internal void OnConnectionClosed() => End(new WebTransportCloseInfo(0, "connection closed", true));

    private async Task ReadCapsulesAsync()
    {
        int max = _connect.Connection.Options.MaxCapsuleLength;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(4096, max + 16));
        int have = 0;
        var token = _connect.Connection.Closing;
        try
        {
            while (true)
            {
                if (have == buffer.Length)
                    throw new Http3ProtocolException(Http3ErrorCode.MessageError, "capsule too large", isStreamError: true);
                int n = await _connect.ReadBodyAsync(buffer.AsMemory(have), token).ConfigureAwait(false);
                if (n == 0)
                {
                    if (have != 0)
                        throw new Http3ProtocolException(Http3ErrorCode.MessageError, "CONNECT stream ended inside a capsule", isStreamError: true);
                    await OnPeerClosedAsync(new WebTransportCloseInfo(0, "", false)).ConfigureAwait(false);
                    return;
                }

                have += n;
                int used = 0;
                while (CapsuleCodec.TryReadHeader(buffer.AsSpan(used, have - used), max, out long type, out long length, out int h) && h + length <= have - used)
                {
                    var value = buffer.AsSpan(used + h, (int)length);
                    used += h + (int)length;
                    switch (type)
                    {
                        case CapsuleType.Datagram:
                            DeliverDatagram(value);
                            break;
                        case CapsuleType.WebTransportCloseSession:
                            var (code, message) = CapsuleCodec.ReadCloseSession(value);
                            await OnPeerClosedAsync(new WebTransportCloseInfo(code, message, false)).ConfigureAwait(false);
                            return;
                        case CapsuleType.WebTransportDrainSession:
                            _drain.TrySetResult();
                            break;
                    }
                }

                Buffer.BlockCopy(buffer, used, buffer, 0, have - used);
                have -= used;
            }
        }
        catch (Http3ProtocolException e) when (e.IsStreamError)
        {
            _connect.Abort(e.ErrorCode);
            End(new WebTransportCloseInfo(0, e.Message, true));
        }
        catch (Http3ProtocolException e)
        {
            End(new WebTransportCloseInfo(0, e.Message, true));
            await _connect.Connection.AbortAsync(e.ErrorCode).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            End(new WebTransportCloseInfo(0, e.Message, true));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void End(WebTransportCloseInfo info)
    {
        if (!_closed.TrySetResult(info))
            return;
        _drain.TrySetResult();
        _incoming.Writer.TryComplete();
        _datagrams.Writer.TryComplete();
        foreach (var s in _streams.Keys)
            s.AbortRaw((long)Http3ErrorCode.WebTransportSessionGone);
        _streams.Clear();
        _connect.Connection.UnregisterSession(SessionId);
    }
}
