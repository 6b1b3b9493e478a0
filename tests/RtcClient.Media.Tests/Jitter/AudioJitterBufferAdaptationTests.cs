using RtcClient.Media.Codecs;
using RtcClient.Media.Jitter;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Jitter;

public class AudioJitterBufferAdaptationTests
{
    private static readonly byte[] Payload = new byte[320];

    /// <summary>Sender whose clock runs <paramref name="ppm"/> parts per million fast (positive) or slow.</summary>
    private static (JitterBufferStatistics Stats, double MaxDelayMs) RunWithDrift(int ppm)
    {
        var jb = new AudioJitterBuffer(new AudioJitterBufferOptions { ClockRate = 8000 }, new TestPcmCodec());
        var pcm = new short[160];
        double interval = 20.0 * 1_000_000 / (1_000_000 + ppm); // ms between packets on the receiver's clock
        double nextSend = 0;
        int seq = 0;
        double maxDelay = 0;
        for (int tick = 1; tick <= 3000; tick++) // 60 s
        {
            var now = TimeSpan.FromMilliseconds(tick * 20);
            while (nextSend + 10 <= now.TotalMilliseconds)
            {
                jb.Insert((ushort)seq, (uint)(seq * 160), 1, 96, Payload, TimeSpan.FromMilliseconds(nextSend + 10));
                seq++;
                nextSend += interval;
            }
            jb.Read(now, pcm);
            if (tick > 100)
                maxDelay = Math.Max(maxDelay, jb.Statistics.CurrentDelay.TotalMilliseconds);
        }
        return (jb.Statistics, maxDelay);
    }

    [Test]
    public void Fast_sender_clock_is_absorbed_by_dropping_frames()
    {
        var (stats, maxDelay) = RunWithDrift(+5000); // 0.5 % fast: 15 extra frames a minute
        TestContext.Out.WriteLine($"{stats}; max delay {maxDelay} ms");
        Assert.That(stats.RemovedSamples / 160, Is.InRange(10, 20));
        Assert.That(maxDelay, Is.LessThan(80), "the buffer does not grow with the drift");
        Assert.That(stats.ConcealedSamples, Is.Zero);
        Assert.That(stats.Discarded, Is.Zero);
    }

    [Test]
    public void Slow_sender_clock_is_absorbed_by_inserting_frames()
    {
        var (stats, maxDelay) = RunWithDrift(-5000);
        TestContext.Out.WriteLine($"{stats}; max delay {maxDelay} ms");
        long stretched = (stats.InsertedSamples + stats.ConcealedSamples) / 160;
        Assert.That(stretched, Is.InRange(10, 20), "about 15 frames a minute are missing from a slow sender");
        Assert.That(stats.ConcealedSamples / 160, Is.LessThanOrEqualTo(5), "mostly planned insertions, few underflows");
        Assert.That(maxDelay, Is.LessThan(80));
    }

    private sealed class FecDecoder : IAudioDecoder
    {
        public AudioCodecInfo Info { get; } = new("opus", 111, 48000, 48000, 1);

        public int Recovered { get; private set; }

        public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm) => 960;

        public int Conceal(Span<short> pcm, int samplesPerChannel) => samplesPerChannel;

        public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel)
        {
            Recovered++;
            pcm[..samplesPerChannel].Fill(7);
            return samplesPerChannel;
        }

        public void Dispose()
        {
        }
    }

    [Test]
    public void Missing_frame_is_recovered_from_the_next_packets_fec_when_the_decoder_can()
    {
        var decoder = new FecDecoder();
        var jb = new AudioJitterBuffer(new AudioJitterBufferOptions { ClockRate = 48000 }, decoder);
        var pcm = new short[960];
        var kinds = new List<AudioPlayoutKind>();
        jb.Insert(0, 0, 9, 111, [1, 2, 3], TimeSpan.Zero);
        for (int i = 1; i < 20; i++)
        {
            var now = TimeSpan.FromMilliseconds(20 * i);
            if (i != 5)
                jb.Insert((ushort)i, (uint)(i * 960), 9, 111, [1, 2, 3], now); // one frame of buffering: the next packet is here when one is missing
            kinds.Add(jb.Read(now, pcm));
        }
        Assert.That(kinds, Does.Contain(AudioPlayoutKind.RecoveredFromNext));
        Assert.That(decoder.Recovered, Is.EqualTo(1));
        Assert.That(jb.Statistics.RecoveredSamples, Is.EqualTo(960));
        Assert.That(jb.Statistics.LostFrames, Is.EqualTo(1));
    }
}
