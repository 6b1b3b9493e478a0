namespace RtcClient.Quic;

/// <summary>
/// CONTRACT STUB (the connection work implements it): a QUIC stream as a <see cref="Stream"/>,
/// shaped like System.Net.Quic.QuicStream. Reading returns 0 at FIN; a peer's RESET_STREAM
/// surfaces as <see cref="QuicException"/> with <see cref="QuicError.StreamAborted"/>.
/// </summary>
public sealed class QuicStream : Stream
{
    private QuicStream() { }

    /// <summary>The stream ID (RFC 9000 section 2.1).</summary>
    public long Id => throw new NotImplementedException();

    /// <summary>Unidirectional or bidirectional.</summary>
    public QuicStreamType Type => throw new NotImplementedException();

    /// <summary>Completes when the read side is finished (FIN received and read, reset, or aborted).</summary>
    public Task ReadsClosed => throw new NotImplementedException();

    /// <summary>Completes when the write side is finished (FIN acknowledged, reset, or the peer sent STOP_SENDING).</summary>
    public Task WritesClosed => throw new NotImplementedException();

    /// <summary>Sends FIN after what was written.</summary>
    public void CompleteWrites() => throw new NotImplementedException();

    /// <summary>Aborts one or both directions with an application error code.</summary>
    public void Abort(QuicAbortDirection direction, long errorCode) => throw new NotImplementedException();

    /// <summary>Writes and optionally sends FIN with the same data.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <inheritdoc />
    public override bool CanRead => throw new NotImplementedException();
    /// <inheritdoc />
    public override bool CanWrite => throw new NotImplementedException();
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotImplementedException();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotImplementedException();
}
