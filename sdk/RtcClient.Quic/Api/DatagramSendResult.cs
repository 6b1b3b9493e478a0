namespace RtcClient.Quic;

/// <summary>The outcome of <see cref="QuicConnection.SendDatagram"/>. Datagrams are never retransmitted (RFC 9221).</summary>
public enum DatagramSendResult
{
    /// <summary>Queued for the next packet.</summary>
    Queued = 0,
    /// <summary>Larger than <see cref="QuicConnection.MaxDatagramPayloadSize"/>; nothing was sent (never truncated).</summary>
    TooLarge,
    /// <summary>The peer did not advertise max_datagram_frame_size, or the local side disabled datagrams.</summary>
    NotSupported,
    /// <summary>The send queue is full (congestion); the datagram was dropped.</summary>
    QueueFull,
    /// <summary>The connection is closed or closing.</summary>
    ConnectionClosed,
}
