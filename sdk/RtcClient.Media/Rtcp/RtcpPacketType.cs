namespace RtcClient.Media.Rtcp;

/// <summary>RTCP packet types used here (RFC 3550 section 12.1, RFC 4585 section 6.1).</summary>
public enum RtcpPacketType : byte
{
    /// <summary>SR: sender report.</summary>
    SenderReport = 200,
    /// <summary>RR: receiver report.</summary>
    ReceiverReport = 201,
    /// <summary>SDES: source description.</summary>
    SourceDescription = 202,
    /// <summary>BYE: goodbye.</summary>
    Goodbye = 203,
    /// <summary>RTPFB: transport-layer feedback (FMT 1 = generic NACK).</summary>
    TransportFeedback = 205,
    /// <summary>PSFB: payload-specific feedback (FMT 1 = PLI).</summary>
    PayloadFeedback = 206,
}
