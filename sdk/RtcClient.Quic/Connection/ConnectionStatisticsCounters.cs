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
    /// <summary>Queued DATAGRAM frames dropped because the path MTU fell below their size.</summary>
    public long DatagramsDiscarded;
    /// <summary>Packets sent with a packet number of 1, 2, 3 and 4 bytes (RFC 9000 section 17.1).</summary>
    public long PacketNumberLength1, PacketNumberLength2, PacketNumberLength3, PacketNumberLength4;

    /// <summary>Counts a packet sent with a <paramref name="length"/>-byte packet number.</summary>
    public void CountPacketNumberLength(int length)
    {
        switch (length)
        {
            case 1: PacketNumberLength1++; break;
            case 2: PacketNumberLength2++; break;
            case 3: PacketNumberLength3++; break;
            default: PacketNumberLength4++; break;
        }
    }
}
