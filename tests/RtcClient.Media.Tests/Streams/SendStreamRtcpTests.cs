using RtcClient.Media.Codecs;
using RtcClient.Media.Rtcp;
using RtcClient.Media.Rtp;
using RtcClient.Media.Streams;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Streams;

public class SendStreamRtcpTests
{
    [Test]
    public void Send_stream_puts_rtp_and_rtcp_on_their_flows_with_sr_sdes_and_bye()
    {
        var sink = new CapturingSink();
        var stream = new AudioSendStream(new AudioSendStreamOptions { FlowId = 70, RtcpFlowId = 71, Ssrc = 0xABCD, Cname = "bot-7" },
            new G711Encoder(G711Law.ALaw), new ToneSource(440, 8000), sink);
        for (int i = 1; i <= 3; i++)
            stream.OnTick(TimeSpan.FromMilliseconds(20 * i));
        stream.SendGoodbye();

        var rtp = sink.Datagrams.Where(d => RtpDatagram.TryRead(d, out ulong flow, out _) && flow == 70).ToList();
        var rtcp = sink.Datagrams.Where(d => RtpDatagram.TryRead(d, out ulong flow, out _) && flow == 71).ToList();
        Assert.That(rtp, Has.Count.EqualTo(3));
        RtpDatagram.TryRead(rtp[0], out _, out var first);
        Assert.That(RtpPacket.TryParse(first, out var packet), Is.EqualTo(RtpParseStatus.Ok));
        Assert.That((packet.PayloadType, packet.Ssrc, packet.Marker, packet.Payload.Length), Is.EqualTo(((byte)8, 0xABCDu, true, 160)));
        Assert.That(packet.TryGetExtension(AudioLevel.DefaultExtensionId, out var level) && AudioLevel.TryRead(level, out var l) && l.VoiceActivity, Is.True);

        Assert.That(rtcp, Has.Count.EqualTo(2), "one SR+SDES at the first tick, then the BYE");
        RtpDatagram.TryRead(rtcp[0], out _, out var compound);
        var reader = new RtcpCompoundReader(compound);
        Assert.That(reader.TryReadNext(out var sr) && sr.TryGetSenderInfo(out _) && sr.SenderSsrc == 0xABCD, Is.True);
        Assert.That(reader.TryReadNext(out var sdes) && sdes.TryGetCname(out _, out var cname) && System.Text.Encoding.UTF8.GetString(cname) == "bot-7", Is.True);
        RtpDatagram.TryRead(rtcp[1], out _, out var bye);
        var byeReader = new RtcpCompoundReader(bye);
        Assert.That(byeReader.TryReadNext(out var goodbye) && goodbye.GoodbyeSourceCount == 1 && goodbye.GetGoodbyeSource(0) == 0xABCD, Is.True);
    }
}
