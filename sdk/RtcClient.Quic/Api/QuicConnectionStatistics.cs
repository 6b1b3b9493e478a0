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
    /// <summary>Queued datagrams never sent because the path MTU fell below their size.</summary>
    public long DatagramsDiscarded { get; init; }
    /// <summary>The largest UDP payload sent now: the path MTU found by DPLPMTUD (RFC 8899), from 1200 up.</summary>
    public int MaxDatagramSize { get; init; }
    /// <summary>Path MTU probes sent.</summary>
    public int PathMtuProbesSent { get; init; }
    /// <summary>Path MTU probes lost (the path did not carry that size; not counted as congestion).</summary>
    public int PathMtuProbesLost { get; init; }
}
