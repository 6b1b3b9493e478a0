namespace RtcClient.Quic.Frames;

/// <summary>
/// QUIC frame types (RFC 9000 section 19, RFC 9221 section 4).
/// <para>
/// Overview of the wire layer (namespaces RtcClient.Quic.Crypto, .Packets, .Frames, .Wire):
/// <list type="bullet">
/// <item><b>Receive</b>: <see cref="Packets.DatagramPackets"/> splits a UDP datagram into
/// <see cref="Packets.PacketHeader"/>s (use the enumerator's <c>CurrentOffset</c> and <c>Packet.Length</c> to slice
/// your mutable receive buffer for in-place work); Initial keys come from
/// <c>PacketProtection.CreateInitial(header.DestinationConnectionId)</c>; <c>PacketProtection.TryRemoveHeaderProtection</c> at
/// <see cref="Packets.PacketHeader.PacketNumberOffset"/>, <see cref="Packets.PacketNumber.ReadTruncated"/> +
/// <see cref="Packets.PacketNumber.Decode"/>, <c>PacketProtection.TryDecrypt</c>, then
/// <see cref="Packets.PacketHeader.ValidateReservedBits"/>; walk the payload with <see cref="FrameReader"/>
/// (each <see cref="Frame"/> is a view into the payload) and check each with
/// <see cref="FrameRules.ValidatePacketType"/>; a payload without frames is a PROTOCOL_VIOLATION (RFC 9000 section 12.4). Undecryptable datagrams: <see cref="Packets.StatelessReset.IsStatelessReset"/>.</item>
/// <item><b>Send</b>: <see cref="Packets.PacketNumber.GetEncodedLength"/>, <see cref="Packets.PacketWriter"/> for the header,
/// <see cref="FrameSize"/> to fit frames (<see cref="FrameSize.GetMaxStreamDataLength"/>, <see cref="FrameSize.GetMaxAckRangeCount"/>,
/// <see cref="FrameSize.GetMaxDatagramDataLength"/>), <see cref="FrameWriter"/> to encode them, PADDING up to
/// <c>PacketProtection.GetMinimumPayloadLength</c> (and to 1200-byte datagrams for client Initials),
/// <see cref="Packets.PacketWriter.WriteLength"/>, then <c>PacketProtection.Protect</c> over the whole packet.</item>
/// <item><b>Other packets</b>: <see cref="Packets.VersionNegotiation"/>, <see cref="Packets.RetryPacket"/>,
/// <see cref="Packets.StatelessReset"/>. Keys: <c>PacketProtection.Create/CreateInitial/NextKeyPhase</c>,
/// limits in <see cref="Crypto.AeadLimits"/>. Transport parameters: <see cref="Wire.TransportParameters"/>.</item>
/// <item><b>Recovery</b>: <see cref="FrameRules.IsAckEliciting"/> and <see cref="FrameRules.CountsInFlight"/>.</item>
/// </list>
/// Malformed input inside a decrypted payload throws <see cref="Wire.QuicProtocolException"/> with the RFC's
/// error code; undecodable packet headers make the parse return false (the packet is dropped).
/// </para>
/// </summary>
public enum FrameType : long
{
    /// <summary>PADDING (0x00). The reader reports a run of PADDING bytes as one frame.</summary>
    Padding = 0x00,
    /// <summary>PING (0x01).</summary>
    Ping = 0x01,
    /// <summary>ACK (0x02). The reader reports ACK_ECN as this type too, with <see cref="Frame.HasEcn"/> set.</summary>
    Ack = 0x02,
    /// <summary>ACK with ECN counts (0x03).</summary>
    AckEcn = 0x03,
    /// <summary>RESET_STREAM (0x04).</summary>
    ResetStream = 0x04,
    /// <summary>STOP_SENDING (0x05).</summary>
    StopSending = 0x05,
    /// <summary>CRYPTO (0x06).</summary>
    Crypto = 0x06,
    /// <summary>NEW_TOKEN (0x07).</summary>
    NewToken = 0x07,
    /// <summary>STREAM (0x08 to 0x0f; the low bits are OFF 0x04, LEN 0x02, FIN 0x01). The reader reports all as this type.</summary>
    Stream = 0x08,
    /// <summary>MAX_DATA (0x10).</summary>
    MaxData = 0x10,
    /// <summary>MAX_STREAM_DATA (0x11).</summary>
    MaxStreamData = 0x11,
    /// <summary>MAX_STREAMS for bidirectional streams (0x12).</summary>
    MaxStreamsBidi = 0x12,
    /// <summary>MAX_STREAMS for unidirectional streams (0x13).</summary>
    MaxStreamsUni = 0x13,
    /// <summary>DATA_BLOCKED (0x14).</summary>
    DataBlocked = 0x14,
    /// <summary>STREAM_DATA_BLOCKED (0x15).</summary>
    StreamDataBlocked = 0x15,
    /// <summary>STREAMS_BLOCKED for bidirectional streams (0x16).</summary>
    StreamsBlockedBidi = 0x16,
    /// <summary>STREAMS_BLOCKED for unidirectional streams (0x17).</summary>
    StreamsBlockedUni = 0x17,
    /// <summary>NEW_CONNECTION_ID (0x18).</summary>
    NewConnectionId = 0x18,
    /// <summary>RETIRE_CONNECTION_ID (0x19).</summary>
    RetireConnectionId = 0x19,
    /// <summary>PATH_CHALLENGE (0x1a).</summary>
    PathChallenge = 0x1a,
    /// <summary>PATH_RESPONSE (0x1b).</summary>
    PathResponse = 0x1b,
    /// <summary>CONNECTION_CLOSE signalling a transport error (0x1c).</summary>
    ConnectionClose = 0x1c,
    /// <summary>CONNECTION_CLOSE signalling an application error (0x1d).</summary>
    ApplicationClose = 0x1d,
    /// <summary>HANDSHAKE_DONE (0x1e).</summary>
    HandshakeDone = 0x1e,
    /// <summary>DATAGRAM without a Length field (0x30, RFC 9221). The reader reports 0x31 as this type too.</summary>
    Datagram = 0x30,
    /// <summary>DATAGRAM with a Length field (0x31, RFC 9221).</summary>
    DatagramWithLength = 0x31,
}
