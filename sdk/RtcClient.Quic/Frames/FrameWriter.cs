using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Frames;

/// <summary>
/// Encodes frames into a span (RFC 9000 section 19, RFC 9221 section 4). Every method returns false and
/// writes nothing when the frame does not fit; otherwise <c>written</c> equals the matching <see cref="FrameSize"/>.
/// </summary>
public static class FrameWriter
{
    /// <summary>Writes <paramref name="count"/> PADDING bytes.</summary>
    public static bool TryWritePadding(Span<byte> destination, int count, out int written)
    {
        written = 0;
        if (count < 0 || destination.Length < count) return false;
        destination[..count].Clear();
        written = count;
        return true;
    }

    /// <summary>Writes PING.</summary>
    public static bool TryWritePing(Span<byte> destination, out int written) => TryWriteSingle(destination, FrameType.Ping, out written);

    /// <summary>Writes HANDSHAKE_DONE.</summary>
    public static bool TryWriteHandshakeDone(Span<byte> destination, out int written) => TryWriteSingle(destination, FrameType.HandshakeDone, out written);

    /// <summary>
    /// Writes ACK, or ACK_ECN when <paramref name="ecn"/> is given. <paramref name="ranges"/> are disjoint and
    /// ordered largest first; <paramref name="ackDelay"/> is already scaled down by the ack_delay_exponent.
    /// </summary>
    public static bool TryWriteAck(Span<byte> destination, ReadOnlySpan<AckRange> ranges, long ackDelay, EcnCounts? ecn, out int written)
    {
        written = 0;
        for (int i = 1; i < ranges.Length; i++)
        {
            if (ranges[i].Largest >= ranges[i - 1].Smallest - 1) throw new ArgumentException("ranges must be disjoint, non-adjacent and largest first", nameof(ranges));
        }

        int size = FrameSize.Ack(ranges, ackDelay, ecn);
        if (destination.Length < size) return false;
        var w = new Cursor(destination);
        w.Varint(ecn is null ? (long)FrameType.Ack : (long)FrameType.AckEcn);
        w.Varint(ranges[0].Largest);
        w.Varint(ackDelay);
        w.Varint(ranges.Length - 1);
        w.Varint(ranges[0].Count - 1);
        for (int i = 1; i < ranges.Length; i++)
        {
            w.Varint(ranges[i - 1].Smallest - ranges[i].Largest - 2);
            w.Varint(ranges[i].Count - 1);
        }

        if (ecn is { } counts)
        {
            w.Varint(counts.Ect0);
            w.Varint(counts.Ect1);
            w.Varint(counts.Ce);
        }

        written = w.Position;
        return true;
    }

    /// <summary>Writes RESET_STREAM.</summary>
    public static bool TryWriteResetStream(Span<byte> destination, long streamId, long applicationErrorCode, long finalSize, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.ResetStream(streamId, applicationErrorCode, finalSize)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.ResetStream);
        w.Varint(streamId);
        w.Varint(applicationErrorCode);
        w.Varint(finalSize);
        written = w.Position;
        return true;
    }

    /// <summary>Writes STOP_SENDING.</summary>
    public static bool TryWriteStopSending(Span<byte> destination, long streamId, long applicationErrorCode, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.StopSending(streamId, applicationErrorCode)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.StopSending);
        w.Varint(streamId);
        w.Varint(applicationErrorCode);
        written = w.Position;
        return true;
    }

    /// <summary>Writes CRYPTO.</summary>
    public static bool TryWriteCrypto(Span<byte> destination, long offset, ReadOnlySpan<byte> data, out int written)
    {
        if (!TryWriteCryptoHeader(destination, offset, data.Length, out int header))
        {
            written = 0;
            return false;
        }
        data.CopyTo(destination[header..]);
        written = header + data.Length;
        return true;
    }

    /// <summary>
    /// Writes the fields of a CRYPTO frame carrying <paramref name="length"/> bytes, checking room for the data
    /// too; the caller copies the data to <c>destination[written..(written + length)]</c> (straight from its
    /// send buffer, without an intermediate copy).
    /// </summary>
    public static bool TryWriteCryptoHeader(Span<byte> destination, long offset, int length, out int written)
    {
        written = 0;
        if (length < 0 || destination.Length < FrameSize.Crypto(offset, length)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.Crypto);
        w.Varint(offset);
        w.Varint(length);
        written = w.Position;
        return true;
    }

    /// <summary>Writes NEW_TOKEN.</summary>
    public static bool TryWriteNewToken(Span<byte> destination, ReadOnlySpan<byte> token, out int written)
    {
        written = 0;
        if (token.IsEmpty) throw new ArgumentException("NEW_TOKEN carries a non-empty token", nameof(token));
        if (destination.Length < FrameSize.NewToken(token.Length)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.NewToken);
        w.LengthPrefixed(token);
        written = w.Position;
        return true;
    }

    /// <summary>
    /// Writes STREAM: the OFF bit is set when <paramref name="offset"/> is above 0; <paramref name="includeLength"/>
    /// false omits the Length field, for the last frame of a packet.
    /// </summary>
    public static bool TryWriteStream(Span<byte> destination, long streamId, long offset, ReadOnlySpan<byte> data, bool fin, bool includeLength, out int written)
    {
        if (!TryWriteStreamHeader(destination, streamId, offset, data.Length, fin, includeLength, out int header))
        {
            written = 0;
            return false;
        }
        data.CopyTo(destination[header..]);
        written = header + data.Length;
        return true;
    }

    /// <summary>
    /// Writes the fields of a STREAM frame carrying <paramref name="length"/> bytes (as <see cref="TryWriteStream"/>),
    /// checking room for the data too; the caller copies the data to <c>destination[written..(written + length)]</c>.
    /// </summary>
    public static bool TryWriteStreamHeader(Span<byte> destination, long streamId, long offset, int length, bool fin, bool includeLength, out int written)
    {
        written = 0;
        if (length < 0 || offset + length > VariableLengthInteger.MaxValue) throw new ArgumentOutOfRangeException(nameof(offset), "stream data ends beyond 2^62-1");
        if (destination.Length < FrameSize.Stream(streamId, offset, length, includeLength)) return false;
        var w = new Cursor(destination);
        int flags = (offset > 0 ? 0x04 : 0) | (includeLength ? 0x02 : 0) | (fin ? 0x01 : 0);
        w.Varint((long)FrameType.Stream + flags);
        w.Varint(streamId);
        if (offset > 0) w.Varint(offset);
        if (includeLength) w.Varint(length);
        written = w.Position;
        return true;
    }

    /// <summary>Writes MAX_DATA.</summary>
    public static bool TryWriteMaxData(Span<byte> destination, long maximumData, out int written) => TryWriteLimit(destination, FrameType.MaxData, maximumData, out written);

    /// <summary>Writes DATA_BLOCKED.</summary>
    public static bool TryWriteDataBlocked(Span<byte> destination, long maximumData, out int written) => TryWriteLimit(destination, FrameType.DataBlocked, maximumData, out written);

    /// <summary>Writes MAX_STREAMS for bidirectional or unidirectional streams.</summary>
    public static bool TryWriteMaxStreams(Span<byte> destination, bool bidirectional, long maximumStreams, out int written)
        => TryWriteLimit(destination, bidirectional ? FrameType.MaxStreamsBidi : FrameType.MaxStreamsUni, CheckStreamCount(maximumStreams), out written);

    /// <summary>Writes STREAMS_BLOCKED for bidirectional or unidirectional streams.</summary>
    public static bool TryWriteStreamsBlocked(Span<byte> destination, bool bidirectional, long maximumStreams, out int written)
        => TryWriteLimit(destination, bidirectional ? FrameType.StreamsBlockedBidi : FrameType.StreamsBlockedUni, CheckStreamCount(maximumStreams), out written);

    /// <summary>Writes MAX_STREAM_DATA.</summary>
    public static bool TryWriteMaxStreamData(Span<byte> destination, long streamId, long maximumStreamData, out int written)
        => TryWriteStreamLimit(destination, FrameType.MaxStreamData, streamId, maximumStreamData, out written);

    /// <summary>Writes STREAM_DATA_BLOCKED.</summary>
    public static bool TryWriteStreamDataBlocked(Span<byte> destination, long streamId, long maximumStreamData, out int written)
        => TryWriteStreamLimit(destination, FrameType.StreamDataBlocked, streamId, maximumStreamData, out written);

    /// <summary>Writes NEW_CONNECTION_ID.</summary>
    public static bool TryWriteNewConnectionId(Span<byte> destination, long sequenceNumber, long retirePriorTo, ReadOnlySpan<byte> connectionId, ReadOnlySpan<byte> statelessResetToken, out int written)
    {
        written = 0;
        if (connectionId.Length is < 1 or > 20) throw new ArgumentException("connection IDs here are 1 to 20 bytes", nameof(connectionId));
        if (statelessResetToken.Length != 16) throw new ArgumentException("the token is 16 bytes", nameof(statelessResetToken));
        if (retirePriorTo > sequenceNumber) throw new ArgumentOutOfRangeException(nameof(retirePriorTo), "must not exceed the sequence number");
        if (destination.Length < FrameSize.NewConnectionId(sequenceNumber, retirePriorTo, connectionId.Length)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.NewConnectionId);
        w.Varint(sequenceNumber);
        w.Varint(retirePriorTo);
        w.Byte((byte)connectionId.Length);
        w.Bytes(connectionId);
        w.Bytes(statelessResetToken);
        written = w.Position;
        return true;
    }

    /// <summary>Writes RETIRE_CONNECTION_ID.</summary>
    public static bool TryWriteRetireConnectionId(Span<byte> destination, long sequenceNumber, out int written)
        => TryWriteLimit(destination, FrameType.RetireConnectionId, sequenceNumber, out written);

    /// <summary>Writes PATH_CHALLENGE with its 8 data bytes.</summary>
    public static bool TryWritePathChallenge(Span<byte> destination, ReadOnlySpan<byte> data, out int written) => TryWritePath(destination, FrameType.PathChallenge, data, out written);

    /// <summary>Writes PATH_RESPONSE echoing the 8 bytes of a PATH_CHALLENGE.</summary>
    public static bool TryWritePathResponse(Span<byte> destination, ReadOnlySpan<byte> data, out int written) => TryWritePath(destination, FrameType.PathResponse, data, out written);

    /// <summary>Writes a transport CONNECTION_CLOSE (0x1c).</summary>
    public static bool TryWriteConnectionClose(Span<byte> destination, long errorCode, long triggeringFrameType, ReadOnlySpan<byte> reasonPhrase, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.ConnectionClose(errorCode, triggeringFrameType, reasonPhrase.Length)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.ConnectionClose);
        w.Varint(errorCode);
        w.Varint(triggeringFrameType);
        w.LengthPrefixed(reasonPhrase);
        written = w.Position;
        return true;
    }

    /// <summary>Writes an application CONNECTION_CLOSE (0x1d).</summary>
    public static bool TryWriteApplicationClose(Span<byte> destination, long applicationErrorCode, ReadOnlySpan<byte> reasonPhrase, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.ApplicationClose(applicationErrorCode, reasonPhrase.Length)) return false;
        var w = new Cursor(destination);
        w.Varint((long)FrameType.ApplicationClose);
        w.Varint(applicationErrorCode);
        w.LengthPrefixed(reasonPhrase);
        written = w.Position;
        return true;
    }

    /// <summary>Writes DATAGRAM: type 0x31 with a Length field, or 0x30 running to the end of the packet.</summary>
    public static bool TryWriteDatagram(Span<byte> destination, ReadOnlySpan<byte> data, bool includeLength, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.Datagram(data.Length, includeLength)) return false;
        var w = new Cursor(destination);
        w.Varint(includeLength ? (long)FrameType.DatagramWithLength : (long)FrameType.Datagram);
        if (includeLength) w.LengthPrefixed(data);
        else w.Bytes(data);
        written = w.Position;
        return true;
    }

    private static bool TryWriteSingle(Span<byte> destination, FrameType type, out int written)
    {
        written = 0;
        if (destination.IsEmpty) return false;
        destination[0] = (byte)type;
        written = 1;
        return true;
    }

    private static bool TryWriteLimit(Span<byte> destination, FrameType type, long value, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.Limit(value)) return false;
        var w = new Cursor(destination);
        w.Varint((long)type);
        w.Varint(value);
        written = w.Position;
        return true;
    }

    private static bool TryWriteStreamLimit(Span<byte> destination, FrameType type, long streamId, long value, out int written)
    {
        written = 0;
        if (destination.Length < FrameSize.StreamLimit(streamId, value)) return false;
        var w = new Cursor(destination);
        w.Varint((long)type);
        w.Varint(streamId);
        w.Varint(value);
        written = w.Position;
        return true;
    }

    private static bool TryWritePath(Span<byte> destination, FrameType type, ReadOnlySpan<byte> data, out int written)
    {
        written = 0;
        if (data.Length != 8) throw new ArgumentException("path validation data is 8 bytes", nameof(data));
        if (destination.Length < FrameSize.PathChallenge) return false;
        destination[0] = (byte)type;
        data.CopyTo(destination[1..]);
        written = FrameSize.PathChallenge;
        return true;
    }

    private static long CheckStreamCount(long count)
        => count is < 0 or > FrameReader.MaxStreamCount ? throw new ArgumentOutOfRangeException(nameof(count), "stream counts are at most 2^60") : count;

    // Sequential writer over a span already checked to be large enough.
    private ref struct Cursor(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public void Varint(long value)
        {
            VariableLengthInteger.TryWrite(_destination[Position..], value, out int n);
            Position += n;
        }

        public void Byte(byte value) => _destination[Position++] = value;

        public void Bytes(ReadOnlySpan<byte> data)
        {
            data.CopyTo(_destination[Position..]);
            Position += data.Length;
        }

        public void LengthPrefixed(ReadOnlySpan<byte> data)
        {
            Varint(data.Length);
            Bytes(data);
        }
    }
}
