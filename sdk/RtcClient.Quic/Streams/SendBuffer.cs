using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Streams;

/// <summary>
/// The sending part of one stream (RFC 9000 sections 2.2, 3.1 and 13.3): buffers application data up
/// to a capacity (writers get backpressure), hands out chunks to send, retransmits lost ranges first,
/// and releases data once acknowledged. Also usable for a CRYPTO stream. Works in offsets and lengths;
/// the frame encoder copies bytes out with <see cref="CopyTo"/>.
/// </summary>
public sealed class SendBuffer : IDisposable
{
    private readonly ByteRing _ring = new();
    private readonly RangeSet _acked = new();
    private readonly RangeSet _lost = new();
    private long _released;
    private bool _finSent;
    private bool _finLost;

    /// <summary>Creates a buffer that holds at most <paramref name="capacity"/> unacknowledged bytes.</summary>
    public SendBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>Most bytes buffered (written but not yet acknowledged) at a time.</summary>
    public int Capacity { get; }

    /// <summary>Bytes written by the application so far (the end of the stream data).</summary>
    public long WrittenOffset { get; private set; }

    /// <summary>Highest offset ever handed out to send; stream flow control credit used so far.</summary>
    public long SentOffset { get; private set; }

    /// <summary>Bytes below this offset were acknowledged and released.</summary>
    public long AcknowledgedOffset => _released;

    /// <summary>Buffered bytes: written, not yet acknowledged.</summary>
    public long BufferedBytes => WrittenOffset - _released;

    /// <summary>Room for more application data.</summary>
    public int AvailableCapacity => IsClosedForWriting ? 0 : (int)(Capacity - BufferedBytes);

    /// <summary>The final size once the application finished the stream (or a reset fixed it).</summary>
    public long? FinalSize { get; private set; }

    /// <summary>True after <see cref="Complete"/> or <see cref="Reset"/>.</summary>
    public bool IsClosedForWriting => FinalSize.HasValue;

    /// <summary>True after <see cref="Reset"/>: nothing more is sent, retransmitted or buffered.</summary>
    public bool IsReset { get; private set; }

    /// <summary>True when the FIN was acknowledged.</summary>
    public bool IsFinAcknowledged { get; private set; }

    /// <summary>"Data Recvd": all data and the FIN were acknowledged (RFC 9000 section 3.1).</summary>
    public bool IsAllAcknowledged => IsFinAcknowledged && FinalSize == _released;

    /// <summary>True when lost data or a lost FIN waits for retransmission.</summary>
    public bool HasRetransmission => !IsReset && (!_lost.IsEmpty || _finLost);

    /// <summary>Whether <see cref="TryGetNextChunk"/> would return a chunk given flow-control limit <paramref name="flowControlLimit"/>.</summary>
    public bool HasDataToSend(long flowControlLimit) =>
        HasRetransmission
        || (!IsReset && Math.Min(WrittenOffset, flowControlLimit) > SentOffset)
        || (!IsReset && FinalSize == SentOffset && !_finSent);

    /// <summary>
    /// Appends application data, as much as fits; returns the bytes taken (0 when full: wait for
    /// acknowledgments). Throws when the stream was completed or reset.
    /// </summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (IsClosedForWriting)
        {
            throw new InvalidOperationException("The stream was already finished or reset.");
        }
        int n = Math.Min(data.Length, AvailableCapacity);
        if (n == 0)
        {
            return 0;
        }
        // Grow as data is buffered (the ring doubles), not to the capacity at once: an idle stream or a CRYPTO
        // stream holding a few kilobytes must not hold a megabyte.
        _ring.Grow((int)(WrittenOffset + n - _released), _released, WrittenOffset);
        _ring.Write(WrittenOffset, data[..n]);
        WrittenOffset += n;
        return n;
    }

    /// <summary>Ends the stream: the final size is what was written; a FIN goes out with (or after) the last byte.</summary>
    public void Complete()
    {
        FinalSize ??= WrittenOffset;
    }

    /// <summary>
    /// Abandons the stream (RESET_STREAM, RFC 9000 section 19.4): drops buffered data and returns the
    /// final size to put in the frame, the highest offset sent.
    /// </summary>
    public long Reset()
    {
        if (!IsReset)
        {
            IsReset = true;
            FinalSize = SentOffset;
            _lost.Clear();
            _acked.Clear();
            _finLost = false;
            _ring.Dispose();
        }
        return FinalSize!.Value;
    }

    /// <summary>
    /// Picks the next chunk to send: lost data first, then new data below
    /// <paramref name="flowControlLimit"/> (the smaller of the peer's MAX_STREAM_DATA and
    /// <see cref="SentOffset"/> plus the connection's remaining credit), at most
    /// <paramref name="maxLength"/> bytes. A FIN rides on the chunk that reaches the final size.
    /// Marks the chunk as sent.
    /// </summary>
    public bool TryGetNextChunk(int maxLength, long flowControlLimit, out StreamChunk chunk)
    {
        chunk = default;
        if (IsReset || maxLength < 0)
        {
            return false;
        }
        if (!_lost.IsEmpty && maxLength > 0)
        {
            long start = _lost.Min;
            long end = Math.Min(_lost.ContiguousEnd(start), start + maxLength);
            bool fin = _finLost && end == FinalSize;
            _lost.Remove(start, end);
            if (fin)
            {
                _finLost = false;
            }
            chunk = new StreamChunk(start, (int)(end - start), fin, IsRetransmission: true);
            return true;
        }
        if (_finLost && _lost.IsEmpty)
        {
            _finLost = false;
            chunk = new StreamChunk(FinalSize!.Value, 0, Fin: true, IsRetransmission: true);
            return true;
        }

        long newEnd = Math.Min(Math.Min(WrittenOffset, flowControlLimit), SentOffset + maxLength);
        bool newFin = !_finSent && FinalSize.HasValue && Math.Max(newEnd, SentOffset) == FinalSize;
        if (newEnd <= SentOffset && !newFin)
        {
            return false;
        }
        long from = SentOffset;
        newEnd = Math.Max(newEnd, from);
        SentOffset = newEnd;
        _finSent |= newFin;
        chunk = new StreamChunk(from, (int)(newEnd - from), newFin, IsRetransmission: false);
        return true;
    }

    /// <summary>Copies the stream bytes [offset, offset + destination.Length) for a frame being built.</summary>
    public void CopyTo(long offset, Span<byte> destination)
    {
        if (offset < _released || offset + destination.Length > WrittenOffset || IsReset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "The requested range is not buffered.");
        }
        _ring.Read(offset, destination);
    }

    /// <summary>A frame carrying [offset, offset + length) (and the FIN when <paramref name="fin"/>) was acknowledged.</summary>
    public void OnAcked(long offset, long length, bool fin)
    {
        if (IsReset)
        {
            return;
        }
        if (fin)
        {
            IsFinAcknowledged = true;
            _finLost = false;
        }
        long start = Math.Max(offset, _released);
        long end = offset + length;
        if (end <= start)
        {
            return;
        }
        _acked.Add(start, end);
        _lost.Remove(start, end);
        if (_acked.Min <= _released)
        {
            // The acknowledged prefix is released: its buffer space is free for new writes.
            _released = _acked.ContiguousEnd(_released);
            _acked.RemoveBelow(_released);
        }
    }

    /// <summary>A frame carrying [offset, offset + length) (and the FIN when <paramref name="fin"/>) was declared lost: queue what is not acknowledged for retransmission.</summary>
    public void OnLost(long offset, long length, bool fin)
    {
        if (IsReset)
        {
            return;
        }
        if (fin && !IsFinAcknowledged)
        {
            _finLost = true;
        }
        long pos = Math.Max(offset, _released);
        long end = offset + length;
        // Add the parts of the range that have not been acknowledged (by another copy of the data).
        while (pos < end)
        {
            if (_acked.Contains(pos))
            {
                pos = _acked.ContiguousEnd(pos);
                continue;
            }
            long gapEnd = Math.Min(end, _acked.NextStartAfter(pos));
            _lost.Add(pos, gapEnd);
            pos = gapEnd;
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _ring.Dispose();
}
