using RtcClient.Media.Rtp;

namespace RtcClient.Media.Streams;

/// <summary>
/// Demultiplexes the media datagrams of one call leg by flow id: RTP flows go to their stream,
/// the RTCP flow goes to every stream that wants feedback. Unknown flows and malformed datagrams
/// are counted and dropped.
/// </summary>
public sealed class MediaSession : IDatagramReceiver
{
    private readonly Lock _gate = new();
    private volatile (ulong FlowId, IRtpPacketHandler Handler)[] _rtp = [];
    private volatile IRtcpPacketHandler[] _rtcpHandlers = [];
    private volatile ulong[] _rtcpFlows = [];
    private long _unknownFlow;
    private long _malformed;

    /// <summary>Datagrams for a flow id nobody registered.</summary>
    public long UnknownFlowDatagrams => Interlocked.Read(ref _unknownFlow);

    /// <summary>Datagrams without a readable flow id or packet.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    /// <summary>Routes the RTP flow <paramref name="flowId"/> to <paramref name="handler"/>.</summary>
    public void AddRtpFlow(ulong flowId, IRtpPacketHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _rtp = [.. _rtp, (flowId, handler)];
    }

    /// <summary>Declares <paramref name="flowId"/> an RTCP flow.</summary>
    public void AddRtcpFlow(ulong flowId)
    {
        lock (_gate)
            _rtcpFlows = [.. _rtcpFlows, flowId];
    }

    /// <summary>Adds a consumer of RTCP packets.</summary>
    public void AddRtcpHandler(IRtcpPacketHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _rtcpHandlers = [.. _rtcpHandlers, handler];
    }

    /// <inheritdoc/>
    public void OnDatagram(ReadOnlySpan<byte> datagram, TimeSpan arrival)
    {
        if (!RtpDatagram.TryRead(datagram, out ulong flowId, out var packet))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }
        foreach (var (id, handler) in _rtp)
        {
            if (id == flowId)
            {
                handler.OnRtpPacket(packet, arrival);
                return;
            }
        }
        if (Array.IndexOf(_rtcpFlows, flowId) >= 0)
        {
            foreach (var handler in _rtcpHandlers)
                handler.OnRtcpPacket(packet, arrival);
            return;
        }
        Interlocked.Increment(ref _unknownFlow);
    }
}
