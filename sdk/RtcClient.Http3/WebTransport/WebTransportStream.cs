using RtcClient.Http3.Transport;
using RtcClient.Quic;

namespace RtcClient.Http3.WebTransport;

/// <summary>
/// A WebTransport stream of a session: bidirectional, or unidirectional (read-only when the peer opened it,
/// write-only when we did). Reading returns 0 at FIN; a peer reset throws <see cref="QuicException"/>.
/// </summary>
public sealed class WebTransportStream : Stream
{
    private readonly IH3Stream _stream;
    private readonly H3StreamReader? _reader;
    private int _disposed;

    internal WebTransportStream(IH3Stream stream, H3StreamReader? reader, WebTransportSession session)
    {
        _stream = stream;
        _reader = reader;
        Session = session;
    }

    /// <summary>The session the stream belongs to.</summary>
    public WebTransportSession Session { get; }

    /// <summary>The QUIC stream ID.</summary>
    public long Id => _stream.Id;

    /// <summary>True for a bidirectional stream.</summary>
    public bool IsBidirectional => _stream.IsBidirectional;

    /// <inheritdoc />
    public override bool CanRead => _reader is not null;

    /// <inheritdoc />
    public override bool CanWrite => IsBidirectional || _reader is null;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_reader is null)
            throw new NotSupportedException("stream is not readable");
        return await _reader.ReadUpToAsync(buffer, long.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => _stream.WriteAsync(buffer, false, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes and optionally sends FIN.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken = default)
        => _stream.WriteAsync(buffer, completeWrites, cancellationToken);

    /// <summary>Sends FIN.</summary>
    public void CompleteWrites() => _stream.CompleteWrites();

    /// <summary>
    /// Aborts with a WebTransport application error code, mapped into the HTTP/3 error space
    /// (0x52e4a40fa8db + code + code / 0x1e).
    /// </summary>
    public void Abort(uint errorCode, QuicAbortDirection direction = QuicAbortDirection.Both)
        => _stream.Abort(direction, ToHttp3ErrorCode(errorCode));

    internal void AbortRaw(long code)
    {
        try
        {
            _stream.Abort(IsBidirectional ? QuicAbortDirection.Both : (_reader is null ? QuicAbortDirection.Write : QuicAbortDirection.Read), code);
        }
        catch (Exception e) when (e is QuicException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    /// <summary>The HTTP/3 error code carrying a WebTransport application error code.</summary>
    public static long ToHttp3ErrorCode(uint errorCode) => 0x52e4a40fa8db + errorCode + errorCode / 0x1e;

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Session.Forget(this);
        if (CanWrite)
        {
            try
            {
                _stream.CompleteWrites();
            }
            catch (Exception e) when (e is QuicException or InvalidOperationException or ObjectDisposedException)
            {
            }
        }

        _reader?.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Volatile.Read(ref _disposed) == 0)
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }
}
