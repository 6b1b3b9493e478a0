using RtcClient.Media.Rtcp;
using RtcClient.Media.Rtp;

namespace RtcClient.Media.Streams;

/// <summary>Sends the RTCP packets every send stream emits, each as one datagram on the RTCP flow.</summary>
internal static class RtcpDatagrams
{
    /// <summary>SR (no report blocks) + SDES CNAME; false when the sink refused it.</summary>
    public static bool SendSenderReport(IDatagramSink sink, ulong rtcpFlowId, uint ssrc, in RtcpSenderInfo info, string cname)
    {
        Span<byte> buffer = stackalloc byte[320];
        int n = FlowIdVarint.Write(buffer, rtcpFlowId);
        n += RtcpWriter.WriteSenderReport(buffer[n..], ssrc, info, default);
        n += RtcpWriter.WriteSourceDescription(buffer[n..], ssrc, cname);
        return sink.TrySend(buffer[..n]);
    }

    /// <summary>BYE for <paramref name="ssrc"/>.</summary>
    public static bool SendGoodbye(IDatagramSink sink, ulong rtcpFlowId, uint ssrc)
    {
        Span<byte> buffer = stackalloc byte[32];
        int n = FlowIdVarint.Write(buffer, rtcpFlowId);
        n += RtcpWriter.WriteGoodbye(buffer[n..], ssrc);
        return sink.TrySend(buffer[..n]);
    }
}
