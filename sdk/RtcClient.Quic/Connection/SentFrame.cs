namespace RtcClient.Quic.Connection;

/// <summary>What a sent frame needs to be acknowledged or repaired after loss (RFC 9000 section 13.3).</summary>
internal enum SentFrameKind : byte
{
    /// <summary>CRYPTO bytes at the packet's level.</summary>
    Crypto,
    /// <summary>STREAM bytes.</summary>
    Stream,
    /// <summary>An ACK frame (acknowledging it lets us stop acknowledging older packets).</summary>
    Ack,
    /// <summary>MAX_DATA.</summary>
    MaxData,
    /// <summary>MAX_STREAM_DATA for a stream.</summary>
    MaxStreamData,
    /// <summary>MAX_STREAMS bidirectional.</summary>
    MaxStreamsBidi,
    /// <summary>MAX_STREAMS unidirectional.</summary>
    MaxStreamsUni,
    /// <summary>RESET_STREAM.</summary>
    ResetStream,
    /// <summary>STOP_SENDING.</summary>
    StopSending,
    /// <summary>NEW_CONNECTION_ID with a sequence number.</summary>
    NewConnectionId,
    /// <summary>RETIRE_CONNECTION_ID with a sequence number.</summary>
    RetireConnectionId,
    /// <summary>HANDSHAKE_DONE.</summary>
    HandshakeDone,
    /// <summary>DATA_BLOCKED / STREAM_DATA_BLOCKED / STREAMS_BLOCKED (informational, resent only when still blocked).</summary>
    Blocked,
    /// <summary>PING, PADDING, DATAGRAM: never repaired.</summary>
    None,
}

/// <summary>One frame in a <see cref="SentPacket"/>.</summary>
/// <param name="Kind">What it was.</param>
/// <param name="StreamId">Stream ID, or the sequence number / largest acknowledged for other kinds.</param>
/// <param name="Offset">Data offset for CRYPTO and STREAM.</param>
/// <param name="Length">Data length for CRYPTO and STREAM.</param>
/// <param name="Fin">STREAM FIN bit.</param>
internal readonly record struct SentFrame(SentFrameKind Kind, long StreamId = 0, long Offset = 0, int Length = 0, bool Fin = false);
