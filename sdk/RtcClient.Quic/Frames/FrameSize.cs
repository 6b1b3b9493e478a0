using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Frames;

/// <summary>
/// Encoded sizes of frames, so a packet builder can decide what fits before writing, and the inverse
/// questions ("how much STREAM data fits in N bytes"). <see cref="FrameWriter"/> writes exactly these sizes.
/// </summary>
public static class FrameSize
{
    private static int V(long value) => VariableLengthInteger.GetLength(value);

    /// <summary>Size of an ACK (or ACK_ECN when <paramref name="ecn"/> is given) for <paramref name="ranges"/>, largest first.</summary>
    public static int Ack(ReadOnlySpan<AckRange> ranges, long ackDelay, EcnCounts? ecn = null)
    {
        if (ranges.IsEmpty) throw new ArgumentException("an ACK acknowledges at least one range", nameof(ranges));
        int size = 1 + V(ranges[0].Largest) + V(ackDelay) + V(ranges.Length - 1) + V(ranges[0].Count - 1);
        for (int i = 1; i < ranges.Length; i++)
            size += V(ranges[i - 1].Smallest - ranges[i].Largest - 2) + V(ranges[i].Count - 1);
        if (ecn is { } counts) size += V(counts.Ect0) + V(counts.Ect1) + V(counts.Ce);
        return size;
    }

    /// <summary>
    /// How many of <paramref name="ranges"/> (largest first) an ACK frame can carry within <paramref name="available"/>
    /// bytes; 0 when not even the first range fits. Send the ACK for <c>ranges[..count]</c>: dropping the oldest ranges
    /// is what RFC 9000 section 13.2.4 allows.
    /// </summary>
    public static int GetMaxAckRangeCount(ReadOnlySpan<AckRange> ranges, long ackDelay, int available, EcnCounts? ecn = null)
    {
        if (ranges.IsEmpty) return 0;
        int fixedSize = 1 + V(ranges[0].Largest) + V(ackDelay) + V(ranges[0].Count - 1);
        if (ecn is { } counts) fixedSize += V(counts.Ect0) + V(counts.Ect1) + V(counts.Ce);
        int gapsSize = 0;
        int count = 1;
        for (int i = 1; i < ranges.Length; i++)
        {
            int next = gapsSize + V(ranges[i - 1].Smallest - ranges[i].Largest - 2) + V(ranges[i].Count - 1);
            if (fixedSize + V(i) + next > available) break;
            gapsSize = next;
            count = i + 1;
        }

        return fixedSize + V(count - 1) + gapsSize <= available ? count : 0;
    }

    /// <summary>Size of RESET_STREAM.</summary>
    public static int ResetStream(long streamId, long errorCode, long finalSize) => 1 + V(streamId) + V(errorCode) + V(finalSize);

    /// <summary>Size of STOP_SENDING.</summary>
    public static int StopSending(long streamId, long errorCode) => 1 + V(streamId) + V(errorCode);

    /// <summary>Size of CRYPTO carrying <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public static int Crypto(long offset, int length) => 1 + V(offset) + V(length) + length;

    /// <summary>Size of NEW_TOKEN.</summary>
    public static int NewToken(int tokenLength) => 1 + V(tokenLength) + tokenLength;

    /// <summary>
    /// Size of STREAM carrying <paramref name="length"/> bytes at <paramref name="offset"/> (the Offset field is
    /// omitted at 0); <paramref name="includeLength"/> false omits the Length field (the frame then runs to the
    /// end of the packet).
    /// </summary>
    public static int Stream(long streamId, long offset, int length, bool includeLength = true)
        => 1 + V(streamId) + (offset > 0 ? V(offset) : 0) + (includeLength ? V(length) : 0) + length;

    /// <summary>Size of MAX_DATA, DATA_BLOCKED, MAX_STREAMS or STREAMS_BLOCKED carrying <paramref name="maximum"/>.</summary>
    public static int Limit(long maximum) => 1 + V(maximum);

    /// <summary>Size of MAX_STREAM_DATA or STREAM_DATA_BLOCKED.</summary>
    public static int StreamLimit(long streamId, long maximum) => 1 + V(streamId) + V(maximum);

    /// <summary>Size of NEW_CONNECTION_ID.</summary>
    public static int NewConnectionId(long sequenceNumber, long retirePriorTo, int connectionIdLength)
        => 1 + V(sequenceNumber) + V(retirePriorTo) + 1 + connectionIdLength + 16;

    /// <summary>Size of RETIRE_CONNECTION_ID.</summary>
    public static int RetireConnectionId(long sequenceNumber) => 1 + V(sequenceNumber);

    /// <summary>Size of PATH_CHALLENGE or PATH_RESPONSE.</summary>
    public const int PathChallenge = 9;

    /// <summary>Size of PING, HANDSHAKE_DONE (and one byte of PADDING).</summary>
    public const int SingleByte = 1;

    /// <summary>Size of a transport CONNECTION_CLOSE (0x1c).</summary>
    public static int ConnectionClose(long errorCode, long triggeringFrameType, int reasonLength)
        => 1 + V(errorCode) + V(triggeringFrameType) + V(reasonLength) + reasonLength;

    /// <summary>Size of an application CONNECTION_CLOSE (0x1d).</summary>
    public static int ApplicationClose(long errorCode, int reasonLength) => 1 + V(errorCode) + V(reasonLength) + reasonLength;

    /// <summary>Size of DATAGRAM; <paramref name="includeLength"/> picks type 0x31 over 0x30.</summary>
    public static int Datagram(int length, bool includeLength = true) => 1 + (includeLength ? V(length) : 0) + length;

    /// <summary>
    /// Most STREAM data that fits in <paramref name="available"/> bytes for this stream and offset, or -1
    /// when not even an empty frame (e.g. a bare FIN) fits.
    /// </summary>
    public static int GetMaxStreamDataLength(long streamId, long offset, int available, bool includeLength = true)
        => MaxData(available - 1 - V(streamId) - (offset > 0 ? V(offset) : 0), includeLength);

    /// <summary>Most CRYPTO data that fits in <paramref name="available"/> bytes at this offset, or -1 when no frame fits.</summary>
    public static int GetMaxCryptoDataLength(long offset, int available) => MaxData(available - 1 - V(offset), includeLength: true);

    /// <summary>Largest DATAGRAM payload that fits in <paramref name="available"/> bytes, or -1 when no frame fits.</summary>
    public static int GetMaxDatagramDataLength(int available, bool includeLength = true) => MaxData(available - 1, includeLength);

    // Largest d with (includeLength ? varint(d) : 0) + d <= room.
    private static int MaxData(int room, bool includeLength)
    {
        if (room < (includeLength ? 1 : 0)) return -1;
        if (!includeLength) return room;
        int best = -1;
        foreach ((int fieldLength, int max) in (ReadOnlySpan<(int, int)>)[(1, 63), (2, 16383), (4, 1073741823)])
        {
            int candidate = Math.Min(room - fieldLength, max);
            if (candidate > best) best = candidate;
        }

        return best;
    }
}
