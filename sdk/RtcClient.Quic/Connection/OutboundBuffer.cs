namespace RtcClient.Quic.Connection;

/// <summary>
/// The send side of a byte stream (a STREAM or a CRYPTO stream): bytes the application wrote, kept until
/// acknowledged, with the ranges declared lost waiting to be sent again (RFC 9000 section 13.3).
/// </summary>
internal sealed class OutboundBuffer
{
    private byte[] _buffer;
    private long _base;            // offset of _buffer[0]; everything below is acknowledged
    private long _nextNew;         // first offset never sent
    private readonly RangeSet _lost = new();
    private readonly RangeSet _acked = new();
    private readonly int _capacity;

    /// <summary>Creates a buffer holding at most <paramref name="capacity"/> unacknowledged bytes.</summary>
    public OutboundBuffer(int capacity, int initialSize = 0)
    {
        _capacity = capacity;
        _buffer = initialSize > 0 ? new byte[initialSize] : [];
    }

    /// <summary>End of the written data (the next write's offset).</summary>
    public long WrittenOffset { get; private set; }

    /// <summary>True once the application ended the stream.</summary>
    public bool FinWritten { get; private set; }

    /// <summary>True once the FIN was sent and not declared lost since.</summary>
    public bool FinSent { get; private set; }

    /// <summary>True once every byte and the FIN were acknowledged.</summary>
    public bool AllAcknowledged => FinWritten && _finAcked && _base == WrittenOffset;

    private bool _finAcked;

    /// <summary>Room for more application bytes.</summary>
    public int Available => (int)Math.Max(0, _capacity - (WrittenOffset - _base));

    /// <summary>Highest offset ever sent (for flow control accounting).</summary>
    public long NextNewOffset => _nextNew;

    /// <summary>Bytes written but not acknowledged.</summary>
    public long Unacknowledged => WrittenOffset - _base;

    /// <summary>Appends what fits; returns how many bytes were taken.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (FinWritten) throw new InvalidOperationException("the stream was already completed");
        int n = Math.Min(data.Length, Available);
        if (n == 0) return 0;
        long needed = WrittenOffset + n - _base;
        if (needed > _buffer.Length)
        {
            int size = Math.Max(_buffer.Length * 2, 4096);
            while (size < needed) size *= 2;
            var bigger = new byte[Math.Min(size, Math.Max(_capacity, (int)needed))];
            _buffer.AsSpan(0, (int)(WrittenOffset - _base)).CopyTo(bigger);
            _buffer = bigger;
        }
        data[..n].CopyTo(_buffer.AsSpan((int)(WrittenOffset - _base)));
        WrittenOffset += n;
        return n;
    }

    /// <summary>Marks the end of the stream.</summary>
    public void Finish() => FinWritten = true;

    /// <summary>True when something (lost bytes, new bytes below <paramref name="flowLimit"/>, or the FIN) waits to be sent.</summary>
    public bool HasPendingData(long flowLimit)
        => !_lost.IsEmpty || (_nextNew < WrittenOffset && _nextNew < flowLimit) || (FinWritten && !FinSent && _nextNew == WrittenOffset);

    /// <summary>True when lost bytes wait for retransmission (they do not need new flow control credit).</summary>
    public bool HasLostData => !_lost.IsEmpty;

    /// <summary>
    /// Picks the next chunk to send: lost bytes first, then new bytes up to <paramref name="flowLimit"/>.
    /// Returns false when nothing is pending. <paramref name="fin"/> is set when the chunk ends the stream.
    /// </summary>
    public bool TryTake(int maxLength, long flowLimit, out long offset, out int length, out bool fin)
    {
        fin = false;
        if (!_lost.IsEmpty)
        {
            var (s, e) = _lost[0];
            offset = s;
            length = (int)Math.Min(e - s, maxLength);
            _lost.Remove(s, s + length);
            if (FinWritten && offset + length == WrittenOffset && !FinSent)
            {
                fin = true;
                FinSent = true;
            }
            return length > 0 || fin;
        }
        offset = _nextNew;
        long end = Math.Min(Math.Min(WrittenOffset, flowLimit), _nextNew + maxLength);
        length = (int)Math.Max(0, end - _nextNew);
        if (FinWritten && _nextNew + length == WrittenOffset && !FinSent)
        {
            fin = true;
            FinSent = true;
        }
        if (length == 0 && !fin) return false;
        _nextNew += length;
        return true;
    }

    /// <summary>Copies sent bytes at <paramref name="offset"/> for a frame.</summary>
    public void CopyTo(long offset, Span<byte> destination)
    {
        // Bytes below _base were acknowledged while a retransmission of them was queued; they are
        // never taken because acknowledgement removes them from the lost set.
        _buffer.AsSpan((int)(offset - _base), destination.Length).CopyTo(destination);
    }

    /// <summary>A frame carrying [offset, offset+length) was acknowledged.</summary>
    public void OnAcked(long offset, int length, bool fin)
    {
        if (fin) _finAcked = true;
        if (length == 0) return;
        _acked.Add(offset, offset + length);
        _lost.Remove(offset, offset + length);
        long newBase = _acked.ContiguousEnd(_base);
        if (newBase > _base)
        {
            _acked.RemoveBelow(newBase);
            int shift = (int)(newBase - _base);
            int keep = (int)(WrittenOffset - newBase);
            // Compact lazily: only when the dead prefix is at least half the buffer.
            if (shift >= _buffer.Length / 2 || keep == 0)
            {
                _buffer.AsSpan(shift, keep).CopyTo(_buffer);
                _base = newBase;
            }
            else
            {
                // Keep the bytes where they are: remember nothing else, the acked set covers them.
                _acked.Add(_base, newBase);
            }
        }
    }

    /// <summary>A frame carrying [offset, offset+length) was declared lost.</summary>
    public void OnLost(long offset, int length, bool fin)
    {
        if (fin && !_finAcked) FinSent = false;
        if (length == 0) return;
        long start = Math.Max(offset, _base);
        long end = offset + length;
        if (end <= start) return;
        // Queue only the parts not acknowledged meanwhile.
        for (long s = start; s < end;)
        {
            if (_acked.Contains(s))
            {
                s = _acked.ContiguousEnd(s);
                continue;
            }
            long e = Math.Min(end, _acked.NextStartAfter(s));
            _lost.Add(s, e);
            s = e;
        }
    }

    /// <summary>Drops all data (the stream was reset).</summary>
    public void Discard()
    {
        _lost.Clear();
        _acked.Clear();
        _buffer = [];
        // The final size is what was sent: unsent bytes never consumed the peer's flow control credit.
        WrittenOffset = _nextNew;
        _base = _nextNew;
        FinWritten = true;
        FinSent = true;
        _finAcked = true;
    }
}
