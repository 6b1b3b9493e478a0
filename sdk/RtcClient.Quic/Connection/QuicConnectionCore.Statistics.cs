namespace RtcClient.Quic.Connection;

// Statistics snapshot (RFC 9002 names).
internal sealed partial class QuicConnectionCore
{
    private ConnectionStatisticsCounters _stats;

    /// <summary>The raw counters (for tests).</summary>
    internal ConnectionStatisticsCounters Counters => _stats;

    /// <summary>A snapshot of the transport state; <paramref name="datagramsDropped"/> comes from the owner's receive queue.</summary>
    public QuicConnectionStatistics GetStatistics(long datagramsDropped = 0) => new()
    {
        SmoothedRtt = TimeSpan.FromMicroseconds(_loss.Rtt.SmoothedRtt),
        RttVariance = TimeSpan.FromMicroseconds(_loss.Rtt.RttVariance),
        MinRtt = _loss.Rtt.HasSample ? TimeSpan.FromMicroseconds(_loss.Rtt.MinRtt) : TimeSpan.Zero,
        CongestionWindow = _loss.CongestionController.CongestionWindow,
        BytesInFlight = _loss.CongestionController.BytesInFlight,
        PacketsSent = _stats.PacketsSent,
        PacketsReceived = _stats.PacketsReceived,
        PacketsLost = _loss.PacketsLost,
        BytesSent = _stats.BytesSent,
        BytesReceived = _stats.BytesReceived,
        DatagramsSent = _stats.DatagramsSent,
        DatagramsReceived = _stats.DatagramsReceived,
        DatagramsDropped = datagramsDropped,
        DatagramsDiscarded = _stats.DatagramsDiscarded,
        MaxDatagramSize = _maxDatagramSize,
        PathMtuProbesSent = _pathMtu.ProbesSent,
        PathMtuProbesLost = _pathMtu.ProbesLost,
    };
}
