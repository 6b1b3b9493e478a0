namespace RtcClient.Quic.Connection;

// Statistics snapshot (RFC 9002 names).
internal sealed partial class QuicConnectionCore
{
    private ConnectionStatisticsCounters _stats;

    /// <summary>A snapshot of the transport state; <paramref name="datagramsDropped"/> comes from the owner's receive queue.</summary>
    public QuicConnectionStatistics GetStatistics(long datagramsDropped = 0) => new()
    {
        SmoothedRtt = TimeSpan.FromMicroseconds(_smoothedRtt),
        RttVariance = TimeSpan.FromMicroseconds(_rttVar),
        MinRtt = _hasRttSample ? TimeSpan.FromMicroseconds(_minRtt) : TimeSpan.Zero,
        CongestionWindow = _congestionWindow,
        BytesInFlight = _bytesInFlight,
        PacketsSent = _stats.PacketsSent,
        PacketsReceived = _stats.PacketsReceived,
        PacketsLost = _stats.PacketsLost,
        BytesSent = _stats.BytesSent,
        BytesReceived = _stats.BytesReceived,
        DatagramsSent = _stats.DatagramsSent,
        DatagramsReceived = _stats.DatagramsReceived,
        DatagramsDropped = datagramsDropped,
    };
}
