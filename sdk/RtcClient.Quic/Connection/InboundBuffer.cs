namespace RtcClient.Quic.Connection;

/// <summary>
/// The receive side of a byte stream: reassembles out-of-order frames and hands the application the
/// contiguous bytes from the read offset (RFC 9000 section 2.2). The caller enforces flow control, so
/// the buffer never grows past the advertised window.
/// </summary>
internal sealed class InboundBuffer
{
    private byte[] _buffer = [];
    private long _start;                    // offset of _buffer[0]
    private readonly RangeSet _received = new();

    /// <summary>Offset of the next byte the application reads.</summary>
    public long ReadOffset { get; private set; }

    /// <summary>Highest offset received + 1.</summary>
    public long HighestOffset { get; private set; }

    /// <summary>The final size, once a FIN or RESET_STREAM fixed it.</summary>
    public long? FinalSize { get; private set; }

    /// <summary>Bytes ready to read now.</summary>
    public long Readable => _received.ContiguousEnd(ReadOffset) - ReadOffset;

    /// <summary>True once every byte up to the final size was read.</summary>
    public bool IsFinished => FinalSize is long f && ReadOffset == f;

    /// <summary>
    /// Records a frame's data; the caller checked flow control. Throws <see cref="Wire.QuicProtocolException"/>
    /// with FINAL_SIZE_ERROR when the data contradicts the final size.
    /// </summary>
    public void Write(long offset, ReadOnlySpan<byte> data, bool fin)
    {
        long end = offset + data.Length;
        if (FinalSize is long final && (end > final || (fin && end != final)))
            throw new Wire.QuicProtocolException(Wire.TransportErrorCode.FinalSizeError, "data past the final size");
        if (fin)
        {
            if (end < HighestOffset)
                throw new Wire.QuicProtocolException(Wire.TransportErrorCode.FinalSizeError, "final size below data already received");
            FinalSize = end;
        }
        HighestOffset = Math.Max(HighestOffset, end);
        if (end <= ReadOffset || data.IsEmpty) return;
        if (offset < ReadOffset)
        {
            data = data[(int)(ReadOffset - offset)..];
            offset = ReadOffset;
        }
        EnsureCapacity(end);
        data.CopyTo(_buffer.AsSpan((int)(offset - _start)));
        _received.Add(offset, end);
    }

    /// <summary>Records a frame whose bytes are not wanted (reading was aborted): only offsets and the final size count.</summary>
    public void WriteDiscarded(long offset, int length, bool fin)
    {
        Write(offset, default, false);
        long end = offset + length;
        if (FinalSize is long final && (end > final || (fin && end != final)))
            throw new Wire.QuicProtocolException(Wire.TransportErrorCode.FinalSizeError, "data past the final size");
        if (fin)
        {
            if (end < HighestOffset) throw new Wire.QuicProtocolException(Wire.TransportErrorCode.FinalSizeError, "final size below data already received");
            FinalSize = end;
        }
        HighestOffset = Math.Max(HighestOffset, end);
    }

    /// <summary>Fixes the final size from a RESET_STREAM.</summary>
    public void SetFinalSize(long finalSize)
    {
        if ((FinalSize is long f && f != finalSize) || finalSize < HighestOffset)
            throw new Wire.QuicProtocolException(Wire.TransportErrorCode.FinalSizeError, "RESET_STREAM final size contradicts data received");
        FinalSize = finalSize;
        HighestOffset = finalSize;
    }

    /// <summary>Copies contiguous bytes into <paramref name="destination"/>; returns the count.</summary>
    public int Read(Span<byte> destination)
    {
        int n = (int)Math.Min(destination.Length, Readable);
        if (n == 0) return 0;
        _buffer.AsSpan((int)(ReadOffset - _start), n).CopyTo(destination);
        ReadOffset += n;
        _received.RemoveBelow(ReadOffset);
        return n;
    }

    private void EnsureCapacity(long end)
    {
        // Compact first when the consumed prefix is large.
        int dead = (int)(ReadOffset - _start);
        if (dead > 0 && (dead >= _buffer.Length / 2 || end - _start > _buffer.Length))
        {
            _buffer.AsSpan(dead).CopyTo(_buffer);
            _start = ReadOffset;
        }
        long needed = end - _start;
        if (needed <= _buffer.Length) return;
        long size = Math.Max(_buffer.Length * 2L, 4096);
        while (size < needed) size *= 2;
        var bigger = new byte[size];
        _buffer.CopyTo(bigger, 0);
        _buffer = bigger;
    }
}
