using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using RtcClient.Quic;

namespace RtcClient.Http3.Transport;

/// <summary>
/// Two connected in-memory transports (for tests): streams are pipes, datagrams a bounded queue, and closing
/// one side closes both, like a CONNECTION_CLOSE.
/// </summary>
internal sealed class InMemoryH3Transport : IH3Transport
{
    private readonly Channel<IH3Stream> _accept = Channel.CreateUnbounded<IH3Stream>();
    private readonly Channel<byte[]> _datagrams = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<long, Half> _streams = new();
    private InMemoryH3Transport _peer = null!;
    private long _nextBidi;
    private long _nextUni;

    private InMemoryH3Transport(bool isClient)
    {
        IsClient = isClient;
        _nextBidi = isClient ? 0 : 1;
        _nextUni = isClient ? 2 : 3;
    }

    /// <summary>Creates a connected client/server pair.</summary>
    public static (InMemoryH3Transport Client, InMemoryH3Transport Server) CreatePair()
    {
        var c = new InMemoryH3Transport(true);
        var s = new InMemoryH3Transport(false);
        c._peer = s;
        s._peer = c;
        return (c, s);
    }

    public bool IsClient { get; }
    public IPEndPoint? RemoteEndPoint => null;
    public IPEndPoint? LocalEndPoint => null;
    public X509Certificate2? RemoteCertificate => null;
    public string? TargetHostName => "localhost";
    public int MaxDatagramPayloadSize { get; set; } = 1200;
    public Task Closed => _closed.Task;

    /// <summary>The application error code the connection was closed with.</summary>
    public long? CloseErrorCode { get; private set; }

    public ValueTask<IH3Stream> OpenStreamAsync(bool bidirectional, CancellationToken cancellationToken)
    {
        if (_closed.Task.IsCompleted)
            throw Closing();
        long id = bidirectional ? Interlocked.Add(ref _nextBidi, 4) - 4 : Interlocked.Add(ref _nextUni, 4) - 4;
        var toPeer = new Pipe();
        var fromPeer = bidirectional ? new Pipe() : null;
        var local = new Half(this, id, bidirectional, read: fromPeer, write: toPeer);
        var remote = new Half(_peer, id, bidirectional, read: toPeer, write: fromPeer);
        local.Other = remote;
        remote.Other = local;
        _streams[id] = local;
        _peer._streams[id] = remote;
        _peer._accept.Writer.TryWrite(remote);
        return ValueTask.FromResult<IH3Stream>(local);
    }

    public async ValueTask<IH3Stream> AcceptStreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _accept.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Closing();
        }
    }

    public bool SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (_closed.Task.IsCompleted || datagram.Length > MaxDatagramPayloadSize)
            return false;
        return _peer._datagrams.Writer.TryWrite(datagram.ToArray());
    }

    public async ValueTask<int> ReadDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] d;
        try
        {
            d = await _datagrams.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Closing();
        }

        int n = Math.Min(d.Length, buffer.Length);
        d.AsMemory(0, n).CopyTo(buffer);
        return n;
    }

    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken)
    {
        Shutdown(errorCode);
        _peer.Shutdown(errorCode);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => CloseAsync(0, default);

    private QuicException Closing() => new(QuicError.ConnectionAborted, "connection closed", CloseErrorCode);

    private void Shutdown(long errorCode)
    {
        lock (_closed)
        {
            if (_closed.Task.IsCompleted)
                return;
            CloseErrorCode = errorCode;
        }

        _accept.Writer.TryComplete();
        _datagrams.Writer.TryComplete();
        foreach (var s in _streams.Values)
            s.Fail(Closing());
        _closed.TrySetResult();
    }

    private sealed class Half(InMemoryH3Transport owner, long id, bool bidirectional, Pipe? read, Pipe? write) : IH3Stream
    {
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private volatile QuicException? _writeError;
        private int _readDone;
        private readonly Lock _readLock = new();
        private bool _reading;

        public Half Other { get; set; } = null!;
        public long Id => id;
        public bool IsBidirectional => bidirectional;

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (read is null)
                throw new InvalidOperationException("stream is not readable");
            lock (_readLock)
            {
                if (_readDone != 0)
                    throw new QuicException(QuicError.OperationAborted, "stream read side aborted locally");
                _reading = true;
            }

            ReadResult r;
            try
            {
                r = await read.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_readLock)
                    _reading = false;
            }

            if (Volatile.Read(ref _readDone) != 0)
            {
                // Aborted while waiting: the pending read is woken and fails like QUIC's.
                read.Reader.AdvanceTo(r.Buffer.Start);
                read.Reader.Complete();
                throw new QuicException(QuicError.OperationAborted, "stream read side aborted locally");
            }

            if (r.Buffer.IsEmpty && r.IsCompleted)
            {
                read.Reader.AdvanceTo(r.Buffer.End);
                return 0;
            }

            int n = (int)Math.Min(buffer.Length, r.Buffer.Length);
            var slice = r.Buffer.Slice(0, n);
            slice.CopyTo(buffer.Span);
            read.Reader.AdvanceTo(slice.End);
            return n;
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken)
        {
            if (write is null)
                throw new InvalidOperationException("stream is not writable");
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_writeError is not null)
                    throw _writeError;
                if (!buffer.IsEmpty)
                {
                    var result = await write.Writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (_writeError is not null)
                        throw _writeError;
                    if (result.IsCompleted)
                        throw new QuicException(QuicError.StreamAborted, "peer stopped reading");
                }

                if (completeWrites)
                    await write.Writer.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public void CompleteWrites() => write?.Writer.Complete();

        public void Abort(QuicAbortDirection direction, long errorCode)
        {
            if ((direction & QuicAbortDirection.Write) != 0 && write is not null)
            {
                _writeError ??= new QuicException(QuicError.OperationAborted, "stream write side aborted locally");
                write.Writer.Complete(new QuicException(QuicError.StreamAborted, "peer reset the stream", errorCode));
            }

            if ((direction & QuicAbortDirection.Read) != 0 && read is not null)
            {
                Other._writeError ??= new QuicException(QuicError.StreamAborted, "peer sent STOP_SENDING", errorCode);
                lock (_readLock)
                {
                    if (_readDone == 0)
                    {
                        _readDone = 1;
                        // A pending read is woken and completes the pipe's reader itself; otherwise complete it now.
                        if (_reading)
                            read.Reader.CancelPendingRead();
                        else
                            read.Reader.Complete();
                    }
                }
            }
        }

        public void Fail(QuicException error)
        {
            _writeError ??= error;
            write?.Writer.Complete(error);
            read?.Writer.Complete(error);
        }

        public ValueTask DisposeAsync()
        {
            owner._streams.TryRemove(id, out _);
            write?.Writer.Complete();
            return ValueTask.CompletedTask;
        }
    }
}
