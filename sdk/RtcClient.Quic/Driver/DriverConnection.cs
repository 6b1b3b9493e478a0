using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Driver;

/// <summary>
/// Glue between one connection core and the async API: receives the core's events (under the driver
/// lock) and turns them into completed tasks, queued streams and datagrams for <see cref="QuicConnection"/>
/// and <see cref="QuicStream"/>.
/// </summary>
internal sealed class DriverConnection : IConnectionEvents
{
    private readonly Dictionary<long, QuicStream> _streams = [];
    private readonly Queue<(byte[] Buffer, int Length)> _datagrams = new(); // pooled buffers
    private readonly int _datagramQueueLength;
    private long _datagramsDropped;

    public DriverConnection(QuicSocketDriver driver, QuicConnectionCore core, IPEndPoint remote, QuicConnectionOptions options, bool ownsDriver)
    {
        Driver = driver;
        Core = core;
        RemoteEndPoint = remote;
        RemoteAddress = remote.Serialize();
        Options = options;
        OwnsDriver = ownsDriver;
        _datagramQueueLength = Math.Max(1, options.DatagramReceiveQueueLength);
        core.Events = this;
    }

    public QuicSocketDriver Driver { get; }
    public QuicConnectionCore Core { get; }
    public IPEndPoint RemoteEndPoint { get; }
    public SocketAddress RemoteAddress { get; }
    public QuicConnectionOptions Options { get; }
    public bool OwnsDriver { get; }

    /// <summary>Called once the handshake completed (server: to queue the connection for accept).</summary>
    public Action<DriverConnection>? HandshakeCompleted { get; set; }

    /// <summary>The API object, once created.</summary>
    public QuicConnection? Connection { get; set; }

    public TaskCompletionSource Handshake { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource ClosedSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource TerminatedSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Channel<QuicStream> InboundStreams { get; } = Channel.CreateUnbounded<QuicStream>(new UnboundedChannelOptions { SingleWriter = true });
    public AsyncSignal StreamsAvailable { get; } = new();
    public AsyncSignal DatagramArrived { get; } = new();

    /// <summary>The error every operation fails with once the connection is closing.</summary>
    public QuicException? CloseError { get; private set; }

    public long DatagramsDropped => _datagramsDropped;

    /// <summary>Runs <paramref name="action"/> under the driver lock and flushes what it queued.</summary>
    public T Run<T>(Func<QuicConnectionCore, T> action)
    {
        lock (Driver.Gate)
        {
            var result = action(Core);
            Driver.Flush(this);
            return result;
        }
    }

    private int _flushScheduled;

    /// <summary>
    /// Flushes soon on the thread pool instead of now, so that a burst of small sends (datagrams) is
    /// packed into few packets; at most one flush is pending at a time.
    /// </summary>
    public void ScheduleFlush()
    {
        if (Interlocked.Exchange(ref _flushScheduled, 1) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static c =>
        {
            Volatile.Write(ref c._flushScheduled, 0);
            lock (c.Driver.Gate) c.Driver.Flush(c);
        }, this, preferLocal: false);
    }

    /// <summary>Registers the API stream for a local stream (under the lock).</summary>
    public void AddStream(QuicStream stream) => _streams[stream.Id] = stream;

    /// <summary>
    /// Copies the next received datagram into <paramref name="destination"/> (under the lock); returns its
    /// length, or -1 when none is queued.
    /// </summary>
    public int DequeueDatagram(Span<byte> destination)
    {
        if (_datagrams.Count == 0) return -1;
        var (buffer, length) = _datagrams.Peek();
        if (length > destination.Length) throw new ArgumentException("the buffer is smaller than the datagram", nameof(destination));
        _datagrams.Dequeue();
        buffer.AsSpan(0, length).CopyTo(destination);
        ArrayPool<byte>.Shared.Return(buffer);
        return length;
    }

    public void OnHandshakeCompleted()
    {
        Handshake.TrySetResult();
        HandshakeCompleted?.Invoke(this);
    }

    public void OnStreamOpened(long streamId)
    {
        var stream = new QuicStream(this, streamId);
        _streams[streamId] = stream;
        InboundStreams.Writer.TryWrite(stream);
    }

    public void OnStreamReadable(long streamId)
    {
        if (_streams.TryGetValue(streamId, out var s)) s.ReadSignal.Set();
    }

    public void OnStreamWritable(long streamId)
    {
        if (_streams.TryGetValue(streamId, out var s))
        {
            s.WriteSignal.Set();
            if (Core.IsStreamSendClosed(streamId, out long? code)) s.CompleteWrites(code);
        }
    }

    public void OnStreamsAvailable() => StreamsAvailable.Set();

    public void OnDatagramReceived(ReadOnlySpan<byte> payload)
    {
        if (_datagrams.Count >= _datagramQueueLength)
        {
            ArrayPool<byte>.Shared.Return(_datagrams.Dequeue().Buffer);
            _datagramsDropped++;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.CopyTo(buffer);
        _datagrams.Enqueue((buffer, payload.Length));
        DatagramArrived.Set();
    }

    public void OnConnectionIdIssued(ConnectionId connectionId, ReadOnlySpan<byte> statelessResetToken) => Driver.AddRoute(connectionId, this);

    public void OnConnectionIdRetired(ConnectionId connectionId) => Driver.RemoveRoute(connectionId);

    private byte[]? _peerResetToken;

    public void OnPeerResetTokenChanged(byte[]? previous, byte[]? current)
    {
        if (previous is not null) Driver.Endpoint.RemoveResetToken(previous);
        if (current is not null) Driver.Endpoint.AddResetToken(current, this);
        _peerResetToken = current;
    }

    public void OnClosing(ConnectionCloseInfo info)
    {
        CloseError = ToException(info);
        Handshake.TrySetException(CloseError);
        InboundStreams.Writer.TryComplete(CloseError);
        StreamsAvailable.Set();
        DatagramArrived.Set();
        foreach (var s in _streams.Values) s.OnConnectionClosed();
        ClosedSource.TrySetResult();
    }

    public void OnTerminated()
    {
        Driver.Unregister(this);
        if (_peerResetToken is not null) Driver.Endpoint.RemoveResetToken(_peerResetToken);
        ClosedSource.TrySetResult();
        TerminatedSource.TrySetResult();
        if (OwnsDriver) ThreadPool.QueueUserWorkItem(static d => d.Dispose(), Driver, preferLocal: false);
    }

    /// <summary>The exception matching how the connection ended.</summary>
    public static QuicException ToException(ConnectionCloseInfo info)
    {
        string reason = string.IsNullOrEmpty(info.Reason) ? "" : ": " + info.Reason;
        return info.Kind switch
        {
            CloseKind.IdleTimeout => new QuicException(QuicError.ConnectionTimeout, "the connection timed out (idle)"),
            CloseKind.HandshakeTimeout => new QuicException(QuicError.ConnectionTimeout, "the handshake timed out"),
            CloseKind.StatelessReset => new QuicException(QuicError.ConnectionRefused, "the peer reset the connection (stateless reset)"),
            CloseKind.VersionNegotiation => new QuicException(QuicError.ConnectionRefused, "the server supports no QUIC version we speak"),
            CloseKind.Abandoned => new QuicException(QuicError.ConnectionRefused, "the connection's state was dropped"),
            _ when !info.ByPeer && info.IsApplication => new QuicException(QuicError.OperationAborted, "the connection was closed locally" + reason, applicationErrorCode: info.ErrorCode),
            _ when info.IsApplication => new QuicException(QuicError.ConnectionAborted, $"the peer closed the connection with code {info.ErrorCode}{reason}", applicationErrorCode: info.ErrorCode),
            _ when info.ErrorCode is >= (long)TransportErrorCode.CryptoError and < 0x200 => new QuicException(QuicError.HandshakeFailed, $"TLS failure 0x{info.ErrorCode:x}{reason}", transportErrorCode: info.ErrorCode),
            _ => new QuicException(QuicError.TransportError, $"{(info.ByPeer ? "the peer" : "we")} closed the connection with transport error 0x{info.ErrorCode:x}{reason}", transportErrorCode: info.ErrorCode),
        };
    }
}
