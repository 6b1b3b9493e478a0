using RtcClient.Media.Packetization;
using RtcClient.Media.Rtp;

namespace RtcClient.Media.Tests.Packetization;

public class AudioPacketizerTests
{
    private static (ushort Seq, uint Ts, bool Marker) Parse(byte[] buffer, int n)
    {
        Assert.That(RtpPacket.TryParse(buffer.AsSpan(0, n), out var p), Is.EqualTo(RtpParseStatus.Ok));
        return (p.SequenceNumber, p.Timestamp, p.Marker);
    }

    [Test]
    public void Opus_uses_the_48_khz_clock_one_frame_per_packet_and_marks_talkspurt_starts()
    {
        var p = AudioPacketizer.ForOpus(111, 9, TimeSpan.FromMilliseconds(20), 65535, uint.MaxValue - 959);
        var buffer = new byte[100];
        var packets = new List<(ushort, uint, bool)>();
        packets.Add(Parse(buffer, p.Packetize([1, 2], buffer)));
        packets.Add(Parse(buffer, p.Packetize([3], buffer)));
        p.Skip(); // DTX frame: no packet
        p.Skip();
        packets.Add(Parse(buffer, p.Packetize([4], buffer)));
        packets.Add(Parse(buffer, p.Packetize([5], buffer)));
        Assert.That(packets, Is.EqualTo(new List<(ushort, uint, bool)>
        {
            (65535, uint.MaxValue - 959, true),
            (0, 0, false),
            (1, 960 * 3, true), // timestamps keep real time over DTX, sequence numbers stay consecutive
            (2, 960 * 4, false),
        }));
    }

    [Test]
    public void G711_uses_8_khz_timestamps_and_refuses_payloads_that_do_not_fit()
    {
        var p = AudioPacketizer.ForG711(0, 9, TimeSpan.FromMilliseconds(20), 10, 0);
        var buffer = new byte[200];
        Assert.That(Parse(buffer, p.Packetize(new byte[160], buffer)), Is.EqualTo(((ushort)10, 0u, true)));
        Assert.That(p.Packetize(new byte[190], buffer), Is.Zero, "does not fit: skipped, not truncated");
        Assert.That(Parse(buffer, p.Packetize(new byte[160], buffer)), Is.EqualTo(((ushort)11, 320u, true)));
    }
}
