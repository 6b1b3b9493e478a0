namespace RtcClient.Media.Rtp;

/// <summary>
/// One media datagram: a varint flow id followed by exactly one RTP or RTCP packet
/// (draft-ietf-avtcore-rtp-over-quic). The flow id tells RTP flows and RTCP flows apart.
/// </summary>
public static class RtpDatagram
{
    /// <summary>Splits a datagram into flow id and packet; false when the varint is truncated or no packet follows.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ulong flowId, out ReadOnlySpan<byte> packet)
    {
        int n = FlowIdVarint.Read(datagram, out flowId);
        if (n == 0 || n == datagram.Length)
        {
            packet = default;
            return false;
        }
        packet = datagram[n..];
        return true;
    }

    /// <summary>Writes the flow id prefix; returns its length (0 when it does not fit).</summary>
    public static int WriteFlowId(Span<byte> destination, ulong flowId) => FlowIdVarint.Write(destination, flowId);
}
