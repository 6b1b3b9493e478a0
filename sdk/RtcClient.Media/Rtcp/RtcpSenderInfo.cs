namespace RtcClient.Media.Rtcp;

/// <summary>The sender information of an SR (RFC 3550 section 6.4.1).</summary>
/// <param name="NtpTimestamp">64-bit NTP wallclock time when the report was sent.</param>
/// <param name="RtpTimestamp">The same instant in RTP timestamp units.</param>
/// <param name="PacketCount">Packets sent so far.</param>
/// <param name="OctetCount">Payload octets sent so far.</param>
public readonly record struct RtcpSenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    /// <summary>Middle 32 bits of the NTP timestamp, as echoed in LSR.</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);
}
