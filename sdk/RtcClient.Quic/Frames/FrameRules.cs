using RtcClient.Quic.Packets;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Frames;

/// <summary>
/// Frame properties from RFC 9000 section 12.4 (Table 3) and RFC 9002 section 2: the packet types each frame
/// may appear in, and whether it elicits an acknowledgment or counts toward bytes in flight. Role rules
/// (e.g. a server never receives NEW_TOKEN or HANDSHAKE_DONE) are the connection's.
/// </summary>
public static class FrameRules
{
    /// <summary>
    /// True when <paramref name="type"/> may appear in a packet of <paramref name="packetType"/>: Initial and
    /// Handshake carry only PADDING, PING, ACK, CRYPTO and transport CONNECTION_CLOSE; 0-RTT carries
    /// neither ACK, CRYPTO, NEW_TOKEN, PATH_RESPONSE nor HANDSHAKE_DONE; 1-RTT carries everything.
    /// </summary>
    public static bool IsAllowed(FrameType type, PacketType packetType) => packetType switch
    {
        PacketType.Initial or PacketType.Handshake => type is FrameType.Padding or FrameType.Ping or FrameType.Ack or FrameType.AckEcn
            or FrameType.Crypto or FrameType.ConnectionClose,
        PacketType.ZeroRtt => type is not (FrameType.Ack or FrameType.AckEcn or FrameType.Crypto or FrameType.NewToken
            or FrameType.PathResponse or FrameType.HandshakeDone),
        PacketType.OneRtt => true,
        _ => false,
    };

    /// <summary>Throws PROTOCOL_VIOLATION when <paramref name="frame"/> may not appear in <paramref name="packetType"/> (RFC 9000 section 12.4).</summary>
    /// <exception cref="QuicProtocolException">The frame is not allowed in this packet type.</exception>
    public static void ValidatePacketType(in Frame frame, PacketType packetType)
    {
        if (!IsAllowed(frame.Type, packetType))
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, $"{frame.Type} frame in a {packetType} packet", frame.RawType);
    }

    /// <summary>True for frames that elicit an acknowledgment: all but ACK, PADDING and CONNECTION_CLOSE (RFC 9002 section 2).</summary>
    public static bool IsAckEliciting(FrameType type)
        => type is not (FrameType.Ack or FrameType.AckEcn or FrameType.Padding or FrameType.ConnectionClose or FrameType.ApplicationClose);

    /// <summary>
    /// True for frames that put their packet in flight (counted against the congestion window): ack-eliciting
    /// frames and PADDING (RFC 9002 section 2).
    /// </summary>
    public static bool CountsInFlight(FrameType type)
        => type is not (FrameType.Ack or FrameType.AckEcn or FrameType.ConnectionClose or FrameType.ApplicationClose);

    /// <summary>True for probing frames, which may be sent on a path being validated (RFC 9000 section 9.1).</summary>
    public static bool IsProbing(FrameType type)
        => type is FrameType.PathChallenge or FrameType.PathResponse or FrameType.NewConnectionId or FrameType.Padding;
}
