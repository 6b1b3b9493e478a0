namespace RtcClient.Media.Streams;

/// <summary>Consumes compound RTCP packets of a session's RTCP flow.</summary>
public interface IRtcpPacketHandler
{
    /// <summary>Handles one compound RTCP packet (span valid only during the call); malformed input is ignored.</summary>
    void OnRtcpPacket(ReadOnlySpan<byte> compound, TimeSpan arrival);
}
