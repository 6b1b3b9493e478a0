using RtcClient.Quic.Connection;
using RtcClient.Quic.Driver;

namespace RtcClient.Quic;

/// <summary>
/// A QUIC stream as a <see cref="Stream"/>, shaped like System.Net.Quic.QuicStream. Reading returns 0 at
/// FIN; a peer's RESET_STREAM surfaces as <see cref="QuicException"/> with <see cref="QuicError.StreamAborted"/>.
/// Writes wait while the stream's send buffer is full (backpressure).
/// </summary>
public sealed class QuicStream : Stream
{
    private readonly DriverConnection _connection;
    private readonly TaskCompletionSource _readsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _writesClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _readFinished;
    private bool _readAborted;
    private bool _writeCompleted;
    private bool _writeAborted;
    private int _disposed;

    internal QuicStream(DriverConnection connection, long id)
    {
        _connection = connection;
        Id = id;
        bool local = ((id & 1) == 0) == connection.Core.IsClient;
        Type = (id & 2) == 0 ? QuicStreamType.Bidirectional : QuicStreamType.Unidirectional;
        CanRead = Type == QuicStreamType.Bidirectional || !local;
        CanWrite = Type == QuicStreamType.Bidirectional || local;
        if (!CanRead) _readsClosed.TrySetResult();
        if (!CanWrite) _writesClosed.TrySetResult();
        // Observed by nobody is fine: these tasks fault only to inform awaiting callers.
        _readsClosed.Task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        _writesClosed.Task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    internal AsyncSignal ReadSignal { get; } = new();
    internal AsyncSignal WriteSignal { get; } = new();

    /// <summary>The stream ID (RFC 9000 section 2.1).</summary>
    public long Id { get; }

    /// <summary>Unidirectional or bidirectional.</summary>
    public QuicStreamType Type { get; }

    /// <summary>Completes when the read side is finished (FIN received and read, reset, or aborted).</summary>
    public Task ReadsClosed => _readsClosed.Task;

    /// <summary>Completes when the write side is finished (FIN acknowledged, reset, or the peer sent STOP_SENDING).</summary>
    public Task WritesClosed => _writesClosed.Task;

    /// <summary>Sends FIN after what was written.</summary>
    public void CompleteWrites()
    {
        if (!CanWrite || _writeCompleted || _writeAborted) return;
        _writeCompleted = true;
        _connection.Run(core => core.StreamWrite(Id, default, fin: true));
    }

    /// <summary>Aborts one or both directions with an application error code.</summary>
    public void Abort(QuicAbortDirection direction, long errorCode)
    {
        _connection.Run(core =>
        {
            if ((direction & QuicAbortDirection.Read) != 0 && CanRead && !_readFinished && !_readAborted)
            {
                _readAborted = true;
                core.StreamAbortRead(Id, errorCode);
                _readsClosed.TrySetException(new QuicException(QuicError.OperationAborted, "reading was aborted locally", applicationErrorCode: errorCode));
                ReadSignal.Set();
            }
            if ((direction & QuicAbortDirection.Write) != 0 && CanWrite && !_writeAborted)
            {
                _writeAborted = true;
                core.StreamAbortWrite(Id, errorCode);
                _writesClosed.TrySetException(new QuicException(QuicError.OperationAborted, "writing was aborted locally", applicationErrorCode: errorCode));
                WriteSignal.Set();
            }
            return 0;
        });
    }

    /// <summary>The core reports the sending part ended; <paramref name="stopCode"/> is the peer's STOP_SENDING code if any.</summary>
    internal void CompleteWrites(long? stopCode)
    {
        if (stopCode is long code && !_writeAborted)
            _writesClosed.TrySetException(new QuicException(QuicError.StreamAborted, $"the peer stopped the stream with code {code}", applicationErrorCode: code));
        else
            _writesClosed.TrySetResult();
    }

    /// <summary>The connection closed: wake waiters and fail what is still open.</summary>
    internal void OnConnectionClosed()
    {
        var error = _connection.CloseError!;
        _readsClosed.TrySetException(error);
        _writesClosed.TrySetException(error);
        ReadSignal.Set();
        WriteSignal.Set();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!CanRead) throw new InvalidOperationException("the stream cannot be read");
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        while (true)
        {
            if (_readFinished) return 0;
            if (_readAborted) throw new QuicException(QuicError.OperationAborted, "reading was aborted locally");
            QuicConnectionCore.ReadStatus status;
            int read;
            long code;
            QuicException? closeError;
            lock (_connection.Driver.Gate)
            {
                status = _connection.Core.StreamRead(Id, buffer.Span, out read, out code);
                if (read > 0) _connection.Driver.Flush(_connection);
                closeError = _connection.CloseError;
            }
            if (read > 0) return read;
            switch (status)
            {
                case QuicConnectionCore.ReadStatus.Finished:
                    return FinishReads();
                case QuicConnectionCore.ReadStatus.Reset:
                    var reset = new QuicException(QuicError.StreamAborted, $"the peer reset the stream with code {code}", applicationErrorCode: code);
                    _readsClosed.TrySetException(reset);
                    throw reset;
                case QuicConnectionCore.ReadStatus.Aborted:
                    if (closeError is not null) throw closeError;
                    return FinishReads(); // the core forgot the stream: every byte was read
            }
            if (closeError is not null) throw closeError;
            await ReadSignal.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private int FinishReads()
    {
        _readFinished = true;
        _readsClosed.TrySetResult();
        return 0;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => WriteAsync(buffer, completeWrites: false, cancellationToken);

    /// <summary>Writes and optionally sends FIN with the same data.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken = default)
    {
        if (!CanWrite) throw new InvalidOperationException("the stream cannot be written");
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_writeCompleted) throw new InvalidOperationException("writes were already completed");
        int offset = 0;
        while (true)
        {
            if (_writeAborted) throw new QuicException(QuicError.OperationAborted, "writing was aborted locally");
            bool done;
            lock (_connection.Driver.Gate)
            {
                if (_connection.CloseError is { } error) throw error;
                // A sending part that ended (stopped by the peer, reset, or forgotten once that reset was
                // acknowledged) never takes another byte: fail instead of waiting for credit that cannot come.
                if (_connection.Core.IsStreamSendClosed(Id, out long? stopCode))
                    throw SendingEnded(stopCode);
                offset += _connection.Core.StreamWrite(Id, buffer.Span[offset..], completeWrites);
                done = offset == buffer.Length;
                _connection.Driver.Flush(_connection);
            }
            if (done)
            {
                if (completeWrites) _writeCompleted = true;
                return;
            }
            await WriteSignal.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private QuicException SendingEnded(long? stopCode) => stopCode is long code
        ? new QuicException(QuicError.StreamAborted, $"the peer stopped the stream with code {code}", applicationErrorCode: code)
        : _writesClosed.Task.Exception?.InnerException as QuicException
            ?? new QuicException(QuicError.StreamAborted, "the sending part of the stream has already ended");

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override bool CanRead { get; }
    /// <inheritdoc />
    public override bool CanWrite { get; }
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _connection.CloseError is null)
        {
            // Like System.Net.Quic: finish writing gracefully, stop reading what nobody will read.
            if (CanWrite && !_writeCompleted && !_writeAborted) CompleteWrites();
            if (CanRead && !_readFinished && !_readAborted) Abort(QuicAbortDirection.Read, _connection.Options.DefaultStreamErrorCode);
        }
        base.Dispose(disposing);
    }
}
