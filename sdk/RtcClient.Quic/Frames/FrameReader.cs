using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Frames;

/// <summary>
/// Walks a decrypted packet payload frame by frame (RFC 9000 section 12.4) without allocating; frame data are
/// spans into the payload. Per-frame encoding rules are enforced here: truncated fields, lengths past the
/// end, offsets beyond 2^62-1, ACK ranges below zero, MAX_STREAMS/STREAMS_BLOCKED above 2^60, bad
/// NEW_CONNECTION_ID lengths and an empty NEW_TOKEN are FRAME_ENCODING_ERROR; unknown frame types are
/// FRAME_ENCODING_ERROR and over-long frame type encodings PROTOCOL_VIOLATION. Rules that need
/// connection state (stream ID direction, limits, packet type per <see cref="FrameRules"/>, role) are the
/// connection's.
/// </summary>
/// <example><code>
/// var reader = new FrameReader(payload);
/// while (reader.TryRead(out Frame frame)) { switch (frame.Type) { ... } }
/// </code></example>
public ref struct FrameReader
{
    /// <summary>Largest stream count MAX_STREAMS and STREAMS_BLOCKED may carry, 2^60.</summary>
    public const long MaxStreamCount = 1L << 60;

    private readonly ReadOnlySpan<byte> _payload;
    private int _offset;

    /// <summary>Creates a reader over a decrypted payload.</summary>
    public FrameReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _offset = 0;
    }

    /// <summary>Offset of the next frame in the payload.</summary>
    public readonly int Offset => _offset;

    /// <summary>True when all frames were read.</summary>
    public readonly bool IsEnd => _offset >= _payload.Length;

    /// <summary>
    /// Reads the next frame; returns false at the end of the payload.
    /// </summary>
    /// <exception cref="QuicProtocolException">The frame is malformed.</exception>
    public bool TryRead(out Frame frame)
    {
        frame = default;
        if (_offset >= _payload.Length) return false;

        int start = _offset;
        if (!VariableLengthInteger.TryRead(_payload[_offset..], out long rawType, out int typeLength))
            throw Error(TransportErrorCode.FrameEncodingError, "truncated frame type", 0);
        if (typeLength != VariableLengthInteger.GetLength(rawType))
            throw Error(TransportErrorCode.ProtocolViolation, "frame type not in its shortest encoding", rawType);
        _offset += typeLength;

        frame = rawType switch
        {
            0x00 => ReadPadding(start),
            0x01 or 0x1e => new Frame { Type = (FrameType)rawType, RawType = rawType, EncodedLength = _offset - start },
            0x02 or 0x03 => ReadAck(rawType, start),
            0x04 => new Frame { Type = FrameType.ResetStream, RawType = rawType, StreamId = Varint(rawType), ErrorCode = Varint(rawType), FinalSize = Varint(rawType), EncodedLength = _offset - start },
            0x05 => new Frame { Type = FrameType.StopSending, RawType = rawType, StreamId = Varint(rawType), ErrorCode = Varint(rawType), EncodedLength = _offset - start },
            0x06 => ReadCrypto(rawType, start),
            0x07 => ReadNewToken(rawType, start),
            >= 0x08 and <= 0x0f => ReadStream(rawType, start),
            0x10 or 0x14 => new Frame { Type = (FrameType)rawType, RawType = rawType, Maximum = Varint(rawType), EncodedLength = _offset - start },
            0x11 or 0x15 => new Frame { Type = (FrameType)rawType, RawType = rawType, StreamId = Varint(rawType), Maximum = Varint(rawType), EncodedLength = _offset - start },
            0x12 or 0x13 or 0x16 or 0x17 => ReadStreamCount(rawType, start),
            0x18 => ReadNewConnectionId(rawType, start),
            0x19 => new Frame { Type = FrameType.RetireConnectionId, RawType = rawType, SequenceNumber = Varint(rawType), EncodedLength = _offset - start },
            0x1a or 0x1b => new Frame { Type = (FrameType)rawType, RawType = rawType, Data = Bytes(8, rawType), EncodedLength = _offset - start },
            0x1c => new Frame { Type = FrameType.ConnectionClose, RawType = rawType, ErrorCode = Varint(rawType), TriggeringFrameType = Varint(rawType), ReasonPhrase = LengthPrefixed(rawType), EncodedLength = _offset - start },
            0x1d => new Frame { Type = FrameType.ApplicationClose, RawType = rawType, ErrorCode = Varint(rawType), ReasonPhrase = LengthPrefixed(rawType), EncodedLength = _offset - start },
            0x30 => new Frame { Type = FrameType.Datagram, RawType = rawType, Data = Rest(), EncodedLength = _offset - start },
            0x31 => new Frame { Type = FrameType.Datagram, RawType = rawType, Data = LengthPrefixed(rawType), EncodedLength = _offset - start },
            _ => throw Error(TransportErrorCode.FrameEncodingError, "unknown frame type", rawType),
        };

        return true;
    }

    private Frame ReadPadding(int start)
    {
        while (_offset < _payload.Length && _payload[_offset] == 0) _offset++;
        return new Frame { Type = FrameType.Padding, RawType = 0, Data = _payload[start.._offset], EncodedLength = _offset - start };
    }

    private Frame ReadAck(long rawType, int start)
    {
        long largest = Varint(rawType);
        long delay = Varint(rawType);
        long count = Varint(rawType);
        long firstRange = Varint(rawType);
        long smallest = largest - firstRange;
        if (smallest < 0) throw Error(TransportErrorCode.FrameEncodingError, "first ACK range below packet number 0", rawType);

        int rangesStart = _offset;
        // Every further range takes at least two bytes, which bounds the loop by the payload size.
        if (count > (_payload.Length - _offset) / 2) throw Error(TransportErrorCode.FrameEncodingError, "ACK range count past the end", rawType);
        for (long i = 0; i < count; i++)
        {
            long gap = Varint(rawType);
            long length = Varint(rawType);
            long largestInRange = smallest - gap - 2;
            if (largestInRange < 0 || largestInRange - length < 0)
                throw Error(TransportErrorCode.FrameEncodingError, "ACK range below packet number 0", rawType);
            smallest = largestInRange - length;
        }

        ReadOnlySpan<byte> ranges = _payload[rangesStart.._offset];
        EcnCounts ecn = default;
        if (rawType == 0x03) ecn = new EcnCounts(Varint(rawType), Varint(rawType), Varint(rawType));
        return new Frame
        {
            Type = FrameType.Ack, RawType = rawType, LargestAcknowledged = largest, AckDelay = delay, AckRangeCount = count,
            FirstAckRange = firstRange, EncodedAckRanges = ranges, HasEcn = rawType == 0x03, Ecn = ecn, SmallestAcknowledged = smallest,
            EncodedLength = _offset - start,
        };
    }

    private Frame ReadCrypto(long rawType, int start)
    {
        long offset = Varint(rawType);
        ReadOnlySpan<byte> data = LengthPrefixed(rawType);
        if (offset + data.Length > VariableLengthInteger.MaxValue)
            throw Error(TransportErrorCode.FrameEncodingError, "CRYPTO data beyond 2^62-1", rawType);
        return new Frame { Type = FrameType.Crypto, RawType = rawType, Offset = offset, Data = data, EncodedLength = _offset - start };
    }

    private Frame ReadNewToken(long rawType, int start)
    {
        ReadOnlySpan<byte> token = LengthPrefixed(rawType);
        if (token.IsEmpty) throw Error(TransportErrorCode.FrameEncodingError, "empty NEW_TOKEN", rawType);
        return new Frame { Type = FrameType.NewToken, RawType = rawType, Data = token, EncodedLength = _offset - start };
    }

    private Frame ReadStream(long rawType, int start)
    {
        long streamId = Varint(rawType);
        long offset = (rawType & 0x04) != 0 ? Varint(rawType) : 0;
        ReadOnlySpan<byte> data = (rawType & 0x02) != 0 ? LengthPrefixed(rawType) : Rest();
        if (offset + data.Length > VariableLengthInteger.MaxValue)
            throw Error(TransportErrorCode.FrameEncodingError, "STREAM data beyond 2^62-1", rawType);
        return new Frame { Type = FrameType.Stream, RawType = rawType, StreamId = streamId, Offset = offset, Data = data, Fin = (rawType & 0x01) != 0, EncodedLength = _offset - start };
    }

    private Frame ReadStreamCount(long rawType, int start)
    {
        long maximum = Varint(rawType);
        if (maximum > MaxStreamCount) throw Error(TransportErrorCode.FrameEncodingError, "stream count above 2^60", rawType);
        return new Frame { Type = (FrameType)rawType, RawType = rawType, Maximum = maximum, EncodedLength = _offset - start };
    }

    private Frame ReadNewConnectionId(long rawType, int start)
    {
        long sequence = Varint(rawType);
        long retirePriorTo = Varint(rawType);
        int length = Bytes(1, rawType)[0];
        if (length is < 1 or > 20) throw Error(TransportErrorCode.FrameEncodingError, "NEW_CONNECTION_ID length outside 1..20", rawType);
        ReadOnlySpan<byte> connectionId = Bytes(length, rawType);
        ReadOnlySpan<byte> token = Bytes(16, rawType);
        if (retirePriorTo > sequence) throw Error(TransportErrorCode.FrameEncodingError, "Retire Prior To above Sequence Number", rawType);
        return new Frame
        {
            Type = FrameType.NewConnectionId, RawType = rawType, SequenceNumber = sequence, RetirePriorTo = retirePriorTo,
            ConnectionId = connectionId, StatelessResetToken = token, EncodedLength = _offset - start,
        };
    }

    private long Varint(long rawType)
    {
        if (!VariableLengthInteger.TryRead(_payload[_offset..], out long value, out int read))
            throw Error(TransportErrorCode.FrameEncodingError, "truncated frame field", rawType);
        _offset += read;
        return value;
    }

    private ReadOnlySpan<byte> Bytes(long length, long rawType)
    {
        if (length > _payload.Length - _offset) throw Error(TransportErrorCode.FrameEncodingError, "frame field past the end of the packet", rawType);
        ReadOnlySpan<byte> bytes = _payload.Slice(_offset, (int)length);
        _offset += (int)length;
        return bytes;
    }

    private ReadOnlySpan<byte> LengthPrefixed(long rawType) => Bytes(Varint(rawType), rawType);

    private ReadOnlySpan<byte> Rest()
    {
        ReadOnlySpan<byte> rest = _payload[_offset..];
        _offset = _payload.Length;
        return rest;
    }

    private static QuicProtocolException Error(TransportErrorCode code, string reason, long rawType) => new(code, reason, rawType);
}
