namespace RtcClient.Media.Rtp;

/// <summary>The fields of an RTP fixed header a sender chooses per packet.</summary>
/// <param name="PayloadType">Payload type (0-127).</param>
/// <param name="SequenceNumber">Sequence number.</param>
/// <param name="Timestamp">Timestamp in the payload clock rate.</param>
/// <param name="Ssrc">Synchronization source.</param>
/// <param name="Marker">Marker bit.</param>
public readonly record struct RtpHeader(byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, bool Marker = false);
