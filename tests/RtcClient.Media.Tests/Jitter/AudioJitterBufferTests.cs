using RtcClient.Media.Jitter;
using RtcClient.Media.Rtp;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Jitter;

public class AudioJitterBufferTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private static AudioJitterBuffer Create(TestPcmCodec codec) => new(new AudioJitterBufferOptions { ClockRate = 8000 }, codec);

    private static byte[] Payload(short value)
    {
        var pcm = new short[160];
        pcm.AsSpan().Fill(value);
        var payload = new byte[320];
        new TestPcmCodec().Encode(pcm, payload);
        return payload;
    }

    [Test]
    public void Reordered_and_duplicated_packets_play_in_order_once()
    {
        var codec = new TestPcmCodec();
        var jb = Create(codec);
        var pcm = new short[160];
        var played = new List<short>();
        int[] order = [0, 2, 1, 3, 3, 5, 4, 6, 7, 7, 8, 9];
        var t = TimeSpan.Zero;
        foreach (int i in order)
            jb.Insert((ushort)(65530 + i), (uint)(i * 160), 1, 96, Payload((short)(i + 1)), t);
        for (int tick = 1; tick <= 12; tick++)
        {
            var kind = jb.Read(t + Frame * tick, pcm);
            if (kind == AudioPlayoutKind.Decoded)
                played.Add(pcm[0]);
        }
        Assert.That(played, Is.EqualTo(Enumerable.Range(1, 10).Select(i => (short)i)));
        Assert.That(jb.Statistics.Duplicates, Is.EqualTo(2));
    }

    [Test]
    public void Timestamp_jump_and_ssrc_change_resync_only_when_confirmed()
    {
        var jb = Create(new TestPcmCodec());
        var pcm = new short[160];
        var p = Payload(5);
        var t = TimeSpan.Zero;
        for (int i = 0; i < 10; i++)
        {
            jb.Insert((ushort)i, (uint)(i * 160), 1, 96, p, t);
            t += Frame;
            jb.Read(t, pcm);
        }
        // One hostile packet with a huge timestamp jump: dropped, nothing else disturbed.
        Assert.That(jb.Insert(10, 3_000_000_000, 1, 96, p, t), Is.EqualTo(JitterInsertResult.Discontinuity));
        Assert.That(jb.Insert(11, 11 * 160, 1, 96, p, t), Is.EqualTo(JitterInsertResult.Accepted));
        // The sender really restarts its timeline (two consecutive packets agree): resync.
        Assert.That(jb.Insert(500, 7_000_000, 1, 96, p, t), Is.EqualTo(JitterInsertResult.Discontinuity));
        Assert.That(jb.Insert(501, 7_000_160, 1, 96, p, t), Is.EqualTo(JitterInsertResult.Resynchronized));
        // A new SSRC likewise.
        Assert.That(jb.Insert(9, 1, 2, 96, p, t), Is.EqualTo(JitterInsertResult.Discontinuity));
        Assert.That(jb.Insert(10, 161, 2, 96, p, t), Is.EqualTo(JitterInsertResult.Resynchronized));
        for (int i = 0; i < 5; i++)
        {
            t += Frame;
            jb.Insert((ushort)(11 + i), (uint)(321 + i * 160), 2, 96, p, t);
            jb.Read(t, pcm);
        }
        var s = jb.Statistics;
        Assert.That(s.Resyncs, Is.EqualTo(2));
        Assert.That(s.Discarded, Is.EqualTo(3));
        Assert.That(s.DecodedSamples, Is.GreaterThan(10 * 160));
    }

    [Test]
    public void Hostile_stream_is_bounded_and_never_throws()
    {
        var jb = Create(new TestPcmCodec());
        var pcm = new short[160];
        var random = new Random(9);
        var payload = new byte[2000];
        var t = TimeSpan.Zero;
        long before = 0;
        for (int i = 0; i < 50_000; i++)
        {
            if (i == 1000)
                before = GC.GetAllocatedBytesForCurrentThread();
            int n = random.Next(payload.Length);
            jb.Insert((ushort)random.Next(65536), (uint)random.Next(), (uint)random.Next(3), (byte)random.Next(128), payload.AsSpan(0, n), t);
            if (i % 3 == 0)
            {
                t += Frame;
                jb.Read(t, pcm);
            }
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4096), "fixed memory");
        var s = jb.Statistics;
        Assert.That(s.Discarded + s.Duplicates + s.LatePackets, Is.GreaterThan(1000));
    }

    [Test]
    public void Receive_stream_counts_malformed_rtp_and_keeps_playing()
    {
        var call = new AudioCall(RtcClient.Media.Simulation.LinkConditions.Perfect);
        call.Run(TimeSpan.FromSeconds(1));
        byte[][] hostile =
        [
            [0x80, 0, 0],
            [0x8F, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0x11, 0x11],
            [0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0x11, 0x11, 0xBE, 0xDE, 0x7F, 0xFF],
            [0xA0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0x11, 0x11, 1, 255],
        ];
        foreach (var packet in hostile)
            call.Receiver.OnRtpPacket(packet, call.Clock.Now);
        // A well-formed packet from a foreign SSRC with a wild sequence number and timestamp.
        call.Receiver.OnRtpPacket([0x80, 0, 0x12, 0x34, 0x7F, 0, 0, 0, 0, 0, 0x99, 0x99, 1, 2], call.Clock.Now);
        call.Run(TimeSpan.FromSeconds(1));
        var stats = call.Receiver.Statistics;
        Assert.That(stats.Malformed, Is.EqualTo(4));
        Assert.That(stats.PacketsLost, Is.Zero, "the stray packet did not reset or skew the loss statistics");
        Assert.That(call.Receiver.JitterBufferStatistics.Discarded, Is.EqualTo(1));
        Assert.That(call.Receiver.JitterBufferStatistics.ConcealedSamples, Is.Zero);
        Assert.That(stats.PacketsReceived, Is.GreaterThan(90));
    }
}
