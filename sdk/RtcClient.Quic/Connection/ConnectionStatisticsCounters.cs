namespace RtcClient.Quic.Connection;

/// <summary>Counters a connection keeps for <see cref="QuicConnectionStatistics"/>.</summary>
internal struct ConnectionStatisticsCounters
{
    /// <summary>Packets sent.</summary>
    public long PacketsSent;
    /// <summary>Packets received and processed.</summary>
    public long PacketsReceived;
    /// <summary>UDP payload bytes sent.</summary>
    public long BytesSent;
    /// <summary>UDP payload bytes received.</summary>
    public long BytesReceived;
    /// <summary>DATAGRAM frames sent.</summary>
    public long DatagramsSent;
    /// <summary>DATAGRAM frames received.</summary>
    public long DatagramsReceived;
}
