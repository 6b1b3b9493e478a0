using System.Buffers;
using RtcClient.Quic.Wire;

namespace RtcClient.Http3.Transport;

/// <summary>
/// Buffered reading of varints, frame headers and payloads from a stream. Payloads are bounded by the caller so a
/// hostile length never makes the buffer grow without limit.
/// </summary>
internal sealed class H3StreamReader(IH3Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _start;
    private int _end;
    private bool _fin;
    // Idle, Filling (a read into the pooled buffer is in flight), Disposed, or DisposedWhileFilling: the buffer goes
    // back to the pool only when no read can still write into it.
    private int _state;
    private const int Idle = 0, Filling = 1, Disposed = 2, DisposedWhileFilling = 3;

    public IH3Stream Stream => stream;

    /// <summary>Bytes buffered and not consumed.</summary>
    public int Buffered => _end - _start;

    /// <summary>Reads a varint; null at FIN before its first byte; FIN inside it is H3_FRAME_ERROR.</summary>
    public async ValueTask<long?> ReadVarIntAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(1, cancellationToken).ConfigureAwait(false))
        {
            if (Buffered == 0)
                return null;
        }

        int len = VariableLengthInteger.GetEncodedLength(_buffer[_start]);
        if (!await EnsureAsync(len, cancellationToken).ConfigureAwait(false))
            throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ended inside a varint");
        VariableLengthInteger.TryRead(_buffer.AsSpan(_start, len), out long v, out _);
        _start += len;
        return v;
    }

    /// <summary>Returns the next varint without consuming it; null at FIN.</summary>
    public async ValueTask<long?> PeekVarIntAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(1, cancellationToken).ConfigureAwait(false))
            return null;
        int len = VariableLengthInteger.GetEncodedLength(_buffer[_start]);
        if (!await EnsureAsync(len, cancellationToken).ConfigureAwait(false))
            return null;
        VariableLengthInteger.TryRead(_buffer.AsSpan(_start, len), out long v, out _);
        return v;
    }

    /// <summary>Reads a frame header; null at a clean FIN.</summary>
    public async ValueTask<(long Type, long Length)?> ReadFrameHeaderAsync(CancellationToken cancellationToken)
    {
        long? type = await ReadVarIntAsync(cancellationToken).ConfigureAwait(false);
        if (type is null)
            return null;
        long? length = await ReadVarIntAsync(cancellationToken).ConfigureAwait(false);
        if (length is null)
            throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ended inside a frame header");
        return (type.Value, length.Value);
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes (valid until the next call); FIN first is H3_FRAME_ERROR.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadExactAsync(int length, CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(length, cancellationToken).ConfigureAwait(false))
            throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ended inside a frame");
        var m = new ReadOnlyMemory<byte>(_buffer, _start, length);
        _start += length;
        return m;
    }

    /// <summary>Discards <paramref name="length"/> bytes (unknown frames); FIN first is H3_FRAME_ERROR.</summary>
    public async ValueTask SkipAsync(long length, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            if (Buffered == 0 && !await FillAsync(cancellationToken).ConfigureAwait(false))
                throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ended inside a frame");
            int n = (int)Math.Min(length, Buffered);
            _start += n;
            length -= n;
        }
    }

    /// <summary>Copies up to <paramref name="max"/> bytes; 0 only at FIN.</summary>
    public async ValueTask<int> ReadUpToAsync(Memory<byte> destination, long max, CancellationToken cancellationToken)
    {
        int want = (int)Math.Min(destination.Length, max);
        if (want == 0)
            return 0;
        if (Buffered > 0)
        {
            int n = Math.Min(want, Buffered);
            _buffer.AsMemory(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }

        if (_fin)
            return 0;
        // Nothing buffered: read straight into the destination.
        int read = await stream.ReadAsync(destination[..want], cancellationToken).ConfigureAwait(false);
        if (read == 0)
            _fin = true;
        return read;
    }

    /// <summary>Returns the buffer to the pool, or leaves that to the read in flight when there is one.</summary>
    public void Dispose()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state >= Disposed)
                return;
            if (Interlocked.CompareExchange(ref _state, state == Filling ? DisposedWhileFilling : Disposed, state) != state)
                continue;
            if (state == Idle)
                ReturnBuffer();
            return;
        }
    }

    private void ReturnBuffer()
    {
        byte[] b = _buffer;
        _buffer = [];
        if (b.Length > 0)
            ArrayPool<byte>.Shared.Return(b);
    }

    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (Buffered < count)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                return false;
        }

        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_fin)
            return false;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) >= Disposed, this);
        if (_start > 0 && (_end == _buffer.Length || _start == _end))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        ObjectDisposedException.ThrowIf(Interlocked.CompareExchange(ref _state, Filling, Idle) != Idle, this);
        int n;
        try
        {
            n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Filling) != Filling)
            {
                Volatile.Write(ref _state, Disposed);
                ReturnBuffer();
            }
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) != Idle, this);
        if (n == 0)
        {
            _fin = true;
            return false;
        }

        _end += n;
        return true;
    }
}
