namespace RtcClient.Quic;

/// <summary>A snapshot of a connection's transport state (RFC 9002 names).</summary>
public readonly record struct QuicConnectionStatistics
{
    /// <summary>smoothed_rtt.</summary>
    public TimeSpan SmoothedRtt { get; init; }
    /// <summary>rttvar.</summary>
    public TimeSpan RttVariance { get; init; }
    /// <summary>min_rtt.</summary>
    public TimeSpan MinRtt { get; init; }
    /// <summary>Congestion window in bytes.</summary>
    public long CongestionWindow { get; init; }
    /// <summary>Bytes in flight.</summary>
    public long BytesInFlight { get; init; }
    /// <summary>Packets sent.</summary>
    public long PacketsSent { get; init; }
    /// <summary>Packets received.</summary>
    public long PacketsReceived { get; init; }
    /// <summary>Packets declared lost.</summary>
    public long PacketsLost { get; init; }
    /// <summary>UDP payload bytes sent.</summary>
    public long BytesSent { get; init; }
    /// <summary>UDP payload bytes received.</summary>
    public long BytesReceived { get; init; }
    /// <summary>DATAGRAM frames sent.</summary>
    public long DatagramsSent { get; init; }
    /// <summary>DATAGRAM frames received.</summary>
    public long DatagramsReceived { get; init; }
    /// <summary>Received datagrams dropped because the application did not read them fast enough.</summary>
    public long DatagramsDropped { get; init; }
}
