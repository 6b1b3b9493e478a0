namespace RtcClient.Media.Streams;

/// <summary>Consumes the RTP packets of one flow.</summary>
public interface IRtpPacketHandler
{
    /// <summary>Handles one RTP packet (span valid only during the call); malformed input is counted, never thrown.</summary>
    void OnRtpPacket(ReadOnlySpan<byte> packet, TimeSpan arrival);
}
