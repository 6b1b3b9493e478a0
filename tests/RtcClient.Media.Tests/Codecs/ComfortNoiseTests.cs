using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.Codecs;

public class ComfortNoiseTests
{
    // Low-pass coloured noise: white noise through y[n] = 0.9 y[n-1] + x[n].
    private static short[] ColouredNoise(int n, double rms, double pole)
    {
        var rng = new Random(42);
        var raw = new double[n];
        double y = 0;
        for (int i = 0; i < n; i++)
        {
            y = pole * y + (rng.NextDouble() - 0.5);
            raw[i] = y;
        }
        double actual = Math.Sqrt(raw.Average(v => v * v));
        return raw.Select(v => (short)Math.Round(v / actual * rms)).ToArray();
    }

    private static double Rms(ReadOnlySpan<short> x)
    {
        double s = 0;
        foreach (var v in x)
            s += (double)v * v;
        return Math.Sqrt(s / x.Length);
    }

    // Ratio (dB) of energy in the first difference to the signal energy: high for bright, low for dark noise.
    private static double Brightness(ReadOnlySpan<short> x)
    {
        double d = 0, e = 0;
        for (int i = 1; i < x.Length; i++)
        {
            d += Math.Pow(x[i] - x[i - 1], 2);
            e += (double)x[i] * x[i];
        }
        return 10 * Math.Log10(d / e);
    }

    [Test]
    public void Payload_carries_level_and_order()
    {
        using var enc = new ComfortNoiseEncoder(order: 6);
        var pcm = ColouredNoise(160, 328, 0.9); // about -40 dBov
        var payload = new byte[7];
        Assert.That(enc.Encode(pcm, payload), Is.EqualTo(7));
        Assert.That(payload[0], Is.InRange(39, 41));
        Assert.That(payload[0] & 0x80, Is.Zero);
        Assert.That(ComfortNoise.DequantizeReflection(payload[1]), Is.LessThan(-0.6), "strong low-pass gives a large first reflection coefficient");
        Assert.That(enc.Encode([], payload), Is.EqualTo(7));
        Assert.That(payload[0], Is.EqualTo(127));
        Assert.That(ComfortNoise.DequantizeReflection(ComfortNoise.QuantizeReflection(0.5)), Is.EqualTo(0.5).Within(1 / 128.0));
        Assert.That(ComfortNoise.QuantizeReflection(-1), Is.Zero);
    }

    [Test]
    public void Decoder_reproduces_level_and_spectral_tilt([Values(0.0, 0.9)] double pole)
    {
        var background = ColouredNoise(8000, 1000, pole); // about -30 dBov
        using var enc = new ComfortNoiseEncoder();
        var payload = new byte[11];
        enc.Encode(background.AsSpan(0, 800), payload); // 100 ms of background
        using var dec = new ComfortNoiseDecoder();
        var noise = new short[8000];
        Assert.That(dec.Decode(payload, noise.AsSpan(0, 160)), Is.EqualTo(160));
        for (int off = 160; off < noise.Length; off += 160)
            Assert.That(dec.Conceal(noise.AsSpan(off, 160), 160), Is.EqualTo(160));
        var settled = noise.AsSpan(1600);
        double levelError = 20 * Math.Log10(Rms(settled) / Rms(background));
        double tiltError = Brightness(settled) - Brightness(background);
        TestContext.Out.WriteLine($"pole {pole}: level error {levelError:F2} dB, tilt error {tiltError:F2} dB");
        Assert.That(Math.Abs(levelError), Is.LessThan(1.5));
        Assert.That(Math.Abs(tiltError), Is.LessThan(2.0));
    }

    [Test]
    public void Malformed_payloads_are_ignored()
    {
        using var dec = new ComfortNoiseDecoder();
        Assert.That(dec.Update([]), Is.False);
        Assert.That(dec.Update([0x80]), Is.False);
        Assert.That(dec.Update(new byte[14]), Is.False);
        Assert.That(dec.MalformedPayloads, Is.EqualTo(3));
        Assert.That(dec.Update([60, 127, 127]), Is.True);
        Assert.That(dec.Level, Is.EqualTo(60));
        Assert.That(dec.Order, Is.EqualTo(2));
    }
}
