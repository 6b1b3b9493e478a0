using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Streams;

/// <summary>
/// The receiving part of one stream, or a CRYPTO stream (RFC 9000 sections 2.2, 3.2, 4.5 and 7.5):
/// reassembles out-of-order data, drops duplicates, enforces the consistent-data rule and the
/// final-size rules, never buffers past its limit, and hands out contiguous bytes in order.
/// Violations by the peer throw <see cref="QuicProtocolException"/> with the RFC's error code.
/// </summary>
public sealed class ReceiveBuffer : IDisposable
{
    /// <summary>Largest offset a stream can reach: 2^62 - 1 (RFC 9000 section 19.8).</summary>
    public const long MaxStreamOffset = (1L << 62) - 1;

    /// <summary>
    /// Most separate pieces (gaps between received ranges) buffered at once. Real reordering stays far
    /// below this; a peer fragmenting a window into tiny disjoint pieces to burn CPU and memory is
    /// closed with PROTOCOL_VIOLATION instead.
    /// </summary>
    public const int MaxFragments = 4096;

    private readonly ByteRing _ring = new();
    private readonly RangeSet _received = new();
    private readonly TransportErrorCode _limitError;
    private readonly long _slidingWindow;
    private readonly long _frameType;

    /// <summary>Creates a stream receive buffer whose flow-control limit is <paramref name="limit"/> (raise it with <see cref="Limit"/>).</summary>
    /// <param name="limit">Highest offset the peer may send up to: our MAX_STREAM_DATA.</param>
    public ReceiveBuffer(long limit)
        : this(limit, TransportErrorCode.FlowControlError, slidingWindow: 0, frameType: 0x08)
    {
    }

    private ReceiveBuffer(long limit, TransportErrorCode limitError, long slidingWindow, long frameType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
        _limitError = limitError;
        _slidingWindow = slidingWindow;
        _frameType = frameType;
    }

    /// <summary>
    /// A buffer for a CRYPTO stream: at most <paramref name="bufferSize"/> bytes beyond what was read,
    /// else CRYPTO_BUFFER_EXCEEDED (RFC 9000 section 7.5). CRYPTO streams have no FIN or final size.
    /// </summary>
    public static ReceiveBuffer ForCrypto(int bufferSize = 64 * 1024) =>
        new(bufferSize, TransportErrorCode.CryptoBufferExceeded, bufferSize, frameType: 0x06);

    /// <summary>The highest offset the peer may send up to; only ever raised.</summary>
    public long Limit
    {
        get;
        set => field = Math.Max(field, value);
    }

    /// <summary>Bytes handed to the reader so far.</summary>
    public long ReadOffset { get; private set; }

    /// <summary>One past the highest offset received (counts toward connection flow control).</summary>
    public long HighestReceived { get; private set; }

    /// <summary>The final size once a FIN or RESET_STREAM fixed it.</summary>
    public long? FinalSize { get; private set; }

    /// <summary>True after RESET_STREAM: data is discarded.</summary>
    public bool IsReset { get; private set; }

    /// <summary>Contiguous bytes ready to read.</summary>
    public long ReadableBytes => IsReset ? 0 : _received.ContiguousEnd(ReadOffset) - ReadOffset;

    /// <summary>"Data Recvd": the final size is known and every byte up to it arrived (RFC 9000 section 3.2).</summary>
    public bool HasAllData => !IsReset && FinalSize is { } size && _received.ContainsAll(ReadOffset, size);

    /// <summary>"Data Read": the reader has consumed everything up to the final size.</summary>
    public bool IsFinished => !IsReset && FinalSize == ReadOffset;

    /// <summary>
    /// Takes a STREAM/CRYPTO frame's data. Returns how far <see cref="HighestReceived"/> advanced,
    /// the amount to charge against connection-level flow control.
    /// </summary>
    /// <exception cref="QuicProtocolException">
    /// FLOW_CONTROL_ERROR (or CRYPTO_BUFFER_EXCEEDED) past the limit; FINAL_SIZE_ERROR for data past the
    /// final size or a changed/too small final size; PROTOCOL_VIOLATION when bytes at an offset change;
    /// FRAME_ENCODING_ERROR past 2^62 - 1.
    /// </exception>
    public long OnData(long offset, ReadOnlySpan<byte> data, bool fin)
    {
        if (offset < 0 || offset > MaxStreamOffset - data.Length)
        {
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "Stream data beyond 2^62-1.", _frameType);
        }
        long end = offset + data.Length;
        CheckFinalSize(end, fin);
        if (end > Limit)
        {
            throw new QuicProtocolException(_limitError, $"Data up to offset {end} exceeds the limit {Limit}.", _frameType);
        }
        if (fin)
        {
            FinalSize = end;
        }
        long increase = Math.Max(0, end - HighestReceived);
        HighestReceived += increase;
        if (IsReset)
        {
            return increase;
        }

        long start = Math.Max(offset, ReadOffset);
        if (end <= start)
        {
            return increase;
        }
        data = data[(int)(start - offset)..];
        if (end - ReadOffset > int.MaxValue)
        {
            throw new QuicProtocolException(_limitError, "Data more than 2 GiB ahead of the reader.", _frameType);
        }
        // Grow only as far as this frame needs; the limit check above bounds it by the window.
        _ring.Grow((int)(end - ReadOffset), ReadOffset, _received.IsEmpty ? ReadOffset : _received.Max);

        // Compare the bytes we already hold (consistent-data rule), store the gaps.
        long pos = start;
        while (pos < end)
        {
            var piece = data[(int)(pos - start)..];
            if (_received.Contains(pos))
            {
                long heldEnd = Math.Min(_received.ContiguousEnd(pos), end);
                if (!_ring.Matches(pos, piece[..(int)(heldEnd - pos)]))
                {
                    throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, $"Different data received again at offset {pos}.", _frameType);
                }
                pos = heldEnd;
            }
            else
            {
                long gapEnd = Math.Min(_received.NextStartAfter(pos), end);
                _ring.Write(pos, piece[..(int)(gapEnd - pos)]);
                pos = gapEnd;
            }
        }
        _received.Add(start, end);
        if (_received.Count > MaxFragments)
        {
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "Stream data too fragmented.", _frameType);
        }
        return increase;
    }

    /// <summary>
    /// Takes RESET_STREAM's final size (RFC 9000 section 4.5). Returns how far
    /// <see cref="HighestReceived"/> advanced for connection-level flow control.
    /// </summary>
    public long OnReset(long finalSize)
    {
        if (finalSize < 0 || finalSize > MaxStreamOffset)
        {
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "Final size beyond 2^62-1.", 0x04);
        }
        if (FinalSize is { } known && known != finalSize)
        {
            throw new QuicProtocolException(TransportErrorCode.FinalSizeError, $"Final size changed from {known} to {finalSize}.", 0x04);
        }
        if (finalSize < HighestReceived)
        {
            throw new QuicProtocolException(TransportErrorCode.FinalSizeError, $"Final size {finalSize} is below received offset {HighestReceived}.", 0x04);
        }
        if (finalSize > Limit)
        {
            throw new QuicProtocolException(TransportErrorCode.FlowControlError, $"Final size {finalSize} exceeds the limit {Limit}.", 0x04);
        }
        FinalSize = finalSize;
        long increase = finalSize - HighestReceived;
        HighestReceived = finalSize;
        IsReset = true;
        _received.Clear();
        _ring.Dispose();
        return increase;
    }

    /// <summary>Copies contiguous bytes into <paramref name="destination"/>; returns the count (0 when nothing is ready).</summary>
    public int Read(Span<byte> destination)
    {
        int n = (int)Math.Min(destination.Length, ReadableBytes);
        if (n == 0)
        {
            return 0;
        }
        _ring.Read(ReadOffset, destination[..n]);
        ReadOffset += n;
        _received.RemoveBelow(ReadOffset);
        if (_slidingWindow > 0)
        {
            Limit = ReadOffset + _slidingWindow;
        }
        return n;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _ring.Dispose();

    private void CheckFinalSize(long end, bool fin)
    {
        if (FinalSize is { } size)
        {
            if (end > size)
            {
                throw new QuicProtocolException(TransportErrorCode.FinalSizeError, $"Data up to {end} beyond the final size {size}.", _frameType);
            }
            if (fin && end != size)
            {
                throw new QuicProtocolException(TransportErrorCode.FinalSizeError, $"Final size changed from {size} to {end}.", _frameType);
            }
        }
        else if (fin && end < HighestReceived)
        {
            throw new QuicProtocolException(TransportErrorCode.FinalSizeError, $"Final size {end} is below received offset {HighestReceived}.", _frameType);
        }
        if (_frameType == 0x06 && fin)
        {
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "CRYPTO data has no end.", _frameType);
        }
    }
}
