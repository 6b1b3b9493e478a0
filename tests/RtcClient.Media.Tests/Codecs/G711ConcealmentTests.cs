using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.Codecs;

public class G711ConcealmentTests
{
    private const int Frame = 160;

    // Lost frames sit at a peak of the 4 Hz syllable envelope (560 ms), where the level is steady.
    private static short[] Voiced(int samples) => TestSignals.SpeechLike(8000, samples / 8000.0);

    // Decodes `signal` frame by frame, losing the frames in `lost`; returns the output and the decoder.
    private static (short[] Output, G711Decoder Decoder) Run(short[] signal, ISet<int> lost)
    {
        var enc = new G711Encoder(G711Law.MuLaw);
        var dec = new G711Decoder(G711Law.MuLaw);
        var output = new short[signal.Length];
        var payload = new byte[Frame];
        for (int f = 0; f * Frame < signal.Length; f++)
        {
            var span = output.AsSpan(f * Frame, Frame);
            enc.Encode(signal.AsSpan(f * Frame, Frame), payload);
            if (lost.Contains(f))
                Assert.That(dec.Conceal(span, Frame), Is.EqualTo(Frame));
            else
                dec.Decode(payload, span);
        }
        return (output, dec);
    }

    [Test]
    public void A_lost_voiced_frame_is_replaced_by_a_continuation_of_the_waveform()
    {
        var signal = Voiced(8000);
        var (clean, _) = Run(signal, new HashSet<int>());
        var (withLoss, decoder) = Run(signal, new HashSet<int> { 28 });
        var truth = clean.AsSpan(28 * Frame, Frame);
        var concealed = withLoss.AsSpan(28 * Frame, Frame);
        double correlation = TestSignals.Correlation(truth, concealed, 0);
        TestContext.Out.WriteLine($"concealed frame correlation {correlation:F3}");
        Assert.That(correlation, Is.GreaterThan(0.6));
        Assert.That(decoder.ConcealedSamples, Is.EqualTo(Frame));
        // Silence insertion (the naive alternative) would have zero correlation and large error.
        double errConcealed = 0, errSilence = 0;
        for (int i = 0; i < Frame; i++)
        {
            errConcealed += Math.Pow(truth[i] - concealed[i], 2);
            errSilence += Math.Pow(truth[i], 2);
        }
        Assert.That(errConcealed, Is.LessThan(errSilence * 0.8));
    }

    [Test]
    public void Long_loss_fades_to_silence_after_60_ms()
    {
        var signal = Voiced(8000);
        var lost = new HashSet<int>(Enumerable.Range(28, 5)); // 100 ms at a syllable peak
        var (output, decoder) = Run(signal, lost);
        Assert.That(decoder.ConcealedSamples, Is.EqualTo(5 * Frame));
        // The first 10 ms of the substitute is at full level; from 60 ms on it is silent.
        double Rms(int from, int count)
        {
            double s = 0;
            for (int i = from; i < from + count; i++)
                s += (double)output[i] * output[i];
            return Math.Sqrt(s / count);
        }
        int start = 28 * Frame;
        Assert.That(Rms(start, 80), Is.GreaterThan(500));
        Assert.That(Rms(start + 320, 80), Is.LessThan(Rms(start, 80) * 0.5), "attenuated by 40 ms");
        Assert.That(Rms(start + 480, 320), Is.Zero, "silent from 60 ms on");
        // The first good frame is cross-faded over 10 ms (4 ms + 1 ms per 10 ms lost, capped), then output is the decoded signal again.
        var (clean, _) = Run(signal, new HashSet<int>());
        Assert.That(output.AsSpan(33 * Frame + 80, Frame - 80).SequenceEqual(clean.AsSpan(33 * Frame + 80, Frame - 80)), Is.True);
        Assert.That(output.AsSpan(33 * Frame, 80).SequenceEqual(clean.AsSpan(33 * Frame, 80)), Is.False, "merged, not switched");
    }

    [Test]
    public void Concealment_without_history_is_silence()
    {
        using var dec = new G711Decoder(G711Law.ALaw);
        var pcm = new short[Frame];
        pcm.AsSpan().Fill(123);
        Assert.That(dec.Conceal(pcm, Frame), Is.EqualTo(Frame));
        Assert.That(pcm.All(s => s == 0), Is.True);
    }
}
