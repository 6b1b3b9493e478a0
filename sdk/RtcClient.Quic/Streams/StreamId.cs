namespace RtcClient.Quic.Streams;

/// <summary>
/// Stream ID arithmetic (RFC 9000 section 2.1): bit 0 is the initiator (0 client, 1 server), bit 1
/// the direction (0 bidirectional, 1 unidirectional), the rest the stream's index within its type.
/// </summary>
public static class StreamId
{
    /// <summary>Largest stream count a MAX_STREAMS frame or transport parameter may carry: 2^60.</summary>
    public const long MaxStreamCount = 1L << 60;

    /// <summary>Largest valid stream ID (2^62 - 1).</summary>
    public const long MaxValue = (1L << 62) - 1;

    /// <summary>True for client-initiated streams.</summary>
    public static bool IsClientInitiated(long streamId) => (streamId & 1) == 0;

    /// <summary>True for server-initiated streams.</summary>
    public static bool IsServerInitiated(long streamId) => (streamId & 1) != 0;

    /// <summary>True for bidirectional streams.</summary>
    public static bool IsBidirectional(long streamId) => (streamId & 2) == 0;

    /// <summary>True for unidirectional streams.</summary>
    public static bool IsUnidirectional(long streamId) => (streamId & 2) != 0;

    /// <summary>The stream's type.</summary>
    public static QuicStreamType TypeOf(long streamId) => IsBidirectional(streamId) ? QuicStreamType.Bidirectional : QuicStreamType.Unidirectional;

    /// <summary>True when the endpoint (<paramref name="isServer"/>) opened the stream.</summary>
    public static bool IsLocallyInitiated(long streamId, bool isServer) => IsServerInitiated(streamId) == isServer;

    /// <summary>Whether the endpoint may send on the stream (not on a peer's unidirectional stream).</summary>
    public static bool CanSend(long streamId, bool isServer) => IsBidirectional(streamId) || IsLocallyInitiated(streamId, isServer);

    /// <summary>Whether the endpoint may receive on the stream (not on its own unidirectional stream).</summary>
    public static bool CanReceive(long streamId, bool isServer) => IsBidirectional(streamId) || !IsLocallyInitiated(streamId, isServer);

    /// <summary>The stream's index among streams of the same initiator and direction (0 for the first).</summary>
    public static long IndexOf(long streamId) => streamId >>> 2;

    /// <summary>The ID of the <paramref name="index"/>th stream of the given initiator and direction.</summary>
    public static long Create(long index, bool clientInitiated, bool bidirectional)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxStreamCount);
        return (index << 2) | (clientInitiated ? 0L : 1L) | (bidirectional ? 0L : 2L);
    }
}
