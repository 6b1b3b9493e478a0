using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Streams;

/// <summary>
/// Stream count limits (RFC 9000 section 4.6) for both directions and both initiators: opening our
/// streams within the peer's MAX_STREAMS (and STREAMS_BLOCKED when we cannot), accepting the peer's
/// streams within ours (STREAM_LIMIT_ERROR beyond), and raising our limit as the peer's streams close.
/// </summary>
public sealed class StreamLimits
{
    private readonly bool _isServer;
    private readonly Direction _bidi;
    private readonly Direction _uni;

    /// <summary>Creates the limits.</summary>
    /// <param name="isServer">Our role, which fixes the initiator bit of our streams.</param>
    /// <param name="localMaxBidi">initial_max_streams_bidi we advertise; also the window kept open as streams close.</param>
    /// <param name="localMaxUni">initial_max_streams_uni we advertise.</param>
    public StreamLimits(bool isServer, long localMaxBidi, long localMaxUni)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(localMaxBidi);
        ArgumentOutOfRangeException.ThrowIfNegative(localMaxUni);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localMaxBidi, StreamId.MaxStreamCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localMaxUni, StreamId.MaxStreamCount);
        _isServer = isServer;
        _bidi = new Direction(localMaxBidi);
        _uni = new Direction(localMaxUni);
    }

    /// <summary>The peer's limit on our streams of the given direction.</summary>
    public long PeerMaxStreams(bool bidirectional) => Get(bidirectional).PeerMax;

    /// <summary>Our limit on the peer's streams of the given direction, as last advertised.</summary>
    public long LocalMaxStreams(bool bidirectional) => Get(bidirectional).LocalMax;

    /// <summary>Streams we opened of the given direction.</summary>
    public long OpenedLocal(bool bidirectional) => Get(bidirectional).OpenedLocal;

    /// <summary>Streams the peer opened (explicitly or implicitly) of the given direction.</summary>
    public long OpenedRemote(bool bidirectional) => Get(bidirectional).OpenedRemote;

    /// <summary>Applies the peer's initial_max_streams_bidi/uni transport parameters; values above 2^60 are TRANSPORT_PARAMETER_ERROR.</summary>
    public void SetPeerInitialLimits(long maxBidi, long maxUni)
    {
        if (maxBidi < 0 || maxUni < 0 || maxBidi > StreamId.MaxStreamCount || maxUni > StreamId.MaxStreamCount)
        {
            throw new QuicProtocolException(TransportErrorCode.TransportParameterError, "initial_max_streams above 2^60.");
        }
        _bidi.PeerMax = Math.Max(_bidi.PeerMax, maxBidi);
        _uni.PeerMax = Math.Max(_uni.PeerMax, maxUni);
    }

    /// <summary>Applies a MAX_STREAMS frame; a value above 2^60 is FRAME_ENCODING_ERROR, smaller values than before are ignored. Returns true when the limit rose.</summary>
    public bool OnMaxStreamsReceived(bool bidirectional, long maximum)
    {
        if (maximum < 0 || maximum > StreamId.MaxStreamCount)
        {
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "MAX_STREAMS above 2^60.", bidirectional ? 0x12 : 0x13);
        }
        var d = Get(bidirectional);
        if (maximum <= d.PeerMax)
        {
            return false;
        }
        d.PeerMax = maximum;
        return true;
    }

    /// <summary>Opens our next stream of the given direction if the peer allows it; otherwise false (then see <see cref="TryGetStreamsBlocked"/>).</summary>
    public bool TryOpenLocalStream(bool bidirectional, out long streamId)
    {
        var d = Get(bidirectional);
        if (d.OpenedLocal >= d.PeerMax)
        {
            d.WantMore = true;
            streamId = -1;
            return false;
        }
        streamId = StreamId.Create(d.OpenedLocal, clientInitiated: !_isServer, bidirectional);
        d.OpenedLocal++;
        return true;
    }

    /// <summary>True (once per limit) when a STREAMS_BLOCKED frame should report <paramref name="limit"/> after a failed open.</summary>
    public bool TryGetStreamsBlocked(bool bidirectional, out long limit)
    {
        var d = Get(bidirectional);
        limit = d.PeerMax;
        if (!d.WantMore || d.OpenedLocal < d.PeerMax || d.BlockedReportedAt == d.PeerMax)
        {
            return false;
        }
        d.BlockedReportedAt = d.PeerMax;
        d.WantMore = false;
        return true;
    }

    /// <summary>
    /// A frame from the peer referenced <paramref name="streamId"/>. For a peer-initiated stream,
    /// returns how many streams this opens (the stream and every lower-numbered one of its type not yet
    /// open, RFC 9000 section 3.2), 0 when already open; beyond our limit it is STREAM_LIMIT_ERROR.
    /// For one of our streams that we have not opened yet it is STREAM_STATE_ERROR (RFC 9000 section
    /// 19.8); otherwise 0. Direction rules (e.g. data on our unidirectional stream) are the caller's,
    /// see <see cref="StreamId.CanReceive"/>.
    /// </summary>
    public long OnStreamReferenced(long streamId, long frameType = 0)
    {
        if (streamId < 0 || streamId > StreamId.MaxValue)
        {
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, $"Invalid stream ID {streamId}.", frameType);
        }
        var d = Get(StreamId.IsBidirectional(streamId));
        long index = StreamId.IndexOf(streamId);
        if (StreamId.IsLocallyInitiated(streamId, _isServer))
        {
            if (index >= d.OpenedLocal)
            {
                throw new QuicProtocolException(TransportErrorCode.StreamStateError, $"Stream {streamId} was not opened yet.", frameType);
            }
            return 0;
        }
        if (index >= d.LocalMax)
        {
            throw new QuicProtocolException(TransportErrorCode.StreamLimitError, $"Stream {streamId} exceeds the limit of {d.LocalMax} streams.", frameType);
        }
        if (index < d.OpenedRemote)
        {
            return 0;
        }
        long opened = index + 1 - d.OpenedRemote;
        d.OpenedRemote = index + 1;
        return opened;
    }

    /// <summary>A peer-initiated stream of the given direction reached a terminal state and was released.</summary>
    public void OnRemoteStreamClosed(bool bidirectional)
    {
        var d = Get(bidirectional);
        if (d.ClosedRemote < d.OpenedRemote)
        {
            d.ClosedRemote++;
        }
    }

    /// <summary>
    /// True when MAX_STREAMS should raise our limit: once half of the initial window's worth of the
    /// peer's streams closed since the last update. The new limit keeps that many streams open.
    /// </summary>
    public bool TryGetMaxStreamsUpdate(bool bidirectional, out long newMaximum)
    {
        var d = Get(bidirectional);
        long target = Math.Min(d.ClosedRemote + d.Window, StreamId.MaxStreamCount);
        newMaximum = d.LocalMax;
        if (d.Window == 0 || target - d.LocalMax < Math.Max(1, d.Window / 2))
        {
            return false;
        }
        d.LocalMax = target;
        newMaximum = target;
        return true;
    }

    /// <summary>Validates a STREAMS_BLOCKED frame: above 2^60 is FRAME_ENCODING_ERROR.</summary>
    public static void ValidateStreamsBlocked(bool bidirectional, long limit)
    {
        if (limit < 0 || limit > StreamId.MaxStreamCount)
        {
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "STREAMS_BLOCKED above 2^60.", bidirectional ? 0x16 : 0x17);
        }
    }

    private Direction Get(bool bidirectional) => bidirectional ? _bidi : _uni;

    private sealed class Direction(long localMax)
    {
        public long Window { get; } = localMax;
        public long LocalMax { get; set; } = localMax;
        public long PeerMax { get; set; }
        public long OpenedLocal { get; set; }
        public long OpenedRemote { get; set; }
        public long ClosedRemote { get; set; }
        public long BlockedReportedAt { get; set; } = -1;
        public bool WantMore { get; set; }
    }
}
