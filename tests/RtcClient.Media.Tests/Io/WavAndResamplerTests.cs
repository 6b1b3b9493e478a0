using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.Io;

public class WavAndResamplerTests
{
    // Goertzel power of `frequency` in x, normalised to the signal energy.
    private static double ToneShare(ReadOnlySpan<short> x, double frequency, int rate)
    {
        double w = 2 * Math.PI * frequency / rate, c = 2 * Math.Cos(w), s1 = 0, s2 = 0, energy = 0;
        foreach (short v in x)
        {
            double s = v + c * s1 - s2;
            s2 = s1;
            s1 = s;
            energy += (double)v * v;
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        return power / (energy * x.Length / 2 + 1e-9);
    }

    private static double Rms(ReadOnlySpan<short> x)
    {
        double s = 0;
        foreach (var v in x)
            s += (double)v * v;
        return Math.Sqrt(s / Math.Max(1, x.Length));
    }

    [TestCase(8000, 1)]
    [TestCase(16000, 2)]
    [TestCase(48000, 1)]
    [TestCase(48000, 2)]
    public void Wav_round_trips_exactly(int rate, int channels)
    {
        using var dir = new TempDirectory();
        var samples = new short[rate / 10 * channels];
        new Random(rate + channels).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()));
        using (var w = WavWriter.Create(dir.File("a.wav"), new WavFormat(rate, channels)))
        {
            w.Write(samples.AsSpan(0, 100 * channels));
            w.Write(samples.AsSpan(100 * channels));
        }
        var (format, read) = WavReader.Read(dir.File("a.wav"));
        Assert.That(format, Is.EqualTo(new WavFormat(rate, channels)));
        Assert.That(read, Is.EqualTo(samples));
        Assert.That(new FileInfo(dir.File("a.wav")).Length, Is.EqualTo(44 + samples.Length * 2));
    }

    [Test, Category("Interop")]
    public void Sox_reads_our_wav_and_we_read_sox_wav()
    {
        using var dir = new TempDirectory();
        var tone = new short[16000];
        new ToneGenerator(new AudioFormat(16000), 8000, 700).Fill(tone);
        using (var w = WavWriter.Create(dir.File("ours.wav"), new WavFormat(16000, 1)))
            w.Write(tone);
        var info = ExternalTool.Run("soxi", [dir.File("ours.wav")]);
        Assert.That(info, Does.Contain("Sample Rate    : 16000").And.Contain("Channels       : 1").And.Contain("16-bit"));
        ExternalTool.Run("sox", ["-D", "-V1", dir.File("ours.wav"), "-c", "2", dir.File("stereo.wav")]);
        var (format, stereo) = WavReader.Read(dir.File("stereo.wav"));
        Assert.That(format, Is.EqualTo(new WavFormat(16000, 2)));
        for (int i = 0; i < tone.Length; i++)
            Assert.That(stereo[2 * i] == tone[i] && stereo[2 * i + 1] == tone[i], Is.True, $"sample {i}");
    }

    [Test]
    public void Malformed_wav_is_rejected_with_invalid_data()
    {
        Assert.Throws<InvalidDataException>(() => WavReader.Parse([1, 2, 3]));
        Assert.Throws<InvalidDataException>(() => WavReader.Parse("RIFF\0\0\0\0WAVEdata\x04\0\0\0abcd"u8));
        byte[] eightBit = [.. "RIFF\0\0\0\0WAVEfmt "u8, 16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x40, 0x1F, 0, 0, 1, 0, 8, 0];
        Assert.Throws<InvalidDataException>(() => WavReader.Parse(eightBit));
        byte[] hugeChunk = [.. "RIFF\0\0\0\0WAVEJUNK"u8, 0xFF, 0xFF, 0xFF, 0x7F];
        Assert.Throws<InvalidDataException>(() => WavReader.Parse(hugeChunk));
        byte[] fmtOnly = [.. eightBit[..34], 16, 0];
        Assert.Throws<InvalidDataException>(() => WavReader.Parse(fmtOnly), "no data chunk");
    }

    [TestCase(48000, 8000, 1000.0)]
    [TestCase(8000, 48000, 1000.0)]
    [TestCase(16000, 48000, 3000.0)]
    [TestCase(48000, 16000, 3000.0)]
    [TestCase(44100, 48000, 5000.0)]
    public void Resampled_tone_keeps_frequency_level_and_purity(int from, int to, double frequency)
    {
        var input = new short[from];
        new ToneGenerator(new AudioFormat(from), 16000, frequency).Fill(input);
        var resampler = new PolyphaseResampler(from, to);
        var output = new short[resampler.MaxOutput(input.Length) + resampler.MaxFlushOutput];
        int n = 0;
        for (int off = 0; off < input.Length; off += from / 50)
            n += resampler.Process(input.AsSpan(off, Math.Min(from / 50, input.Length - off)), output.AsSpan(n));
        n += resampler.Flush(output.AsSpan(n));
        Assert.That(n, Is.EqualTo(to), "one second in, one second out");
        var steady = output.AsSpan(to / 10, to * 8 / 10);
        double share = ToneShare(steady, frequency, to);
        TestContext.Out.WriteLine($"{from}->{to}: tone share {share:F6}, rms {Rms(steady):F0} vs {Rms(input):F0}");
        Assert.That(share, Is.GreaterThan(0.999), "energy outside the tone (distortion, imaging) under -30 dB");
        Assert.That(Rms(steady) / Rms(input), Is.EqualTo(1).Within(0.01));
        // Compare against the ideal continuous tone, aligned by the filter's group delay: SNR well above a linear interpolator's.
        double phaseStep = 2 * Math.PI * frequency / to;
        double err = 0, sig = 0;
        for (int i = to / 10; i < to * 9 / 10; i++)
        {
            double ideal = 16000 * Math.Sin(phaseStep * i);
            err += Math.Pow(output[i] - ideal, 2);
            sig += ideal * ideal;
        }
        double snr = 10 * Math.Log10(sig / err);
        TestContext.Out.WriteLine($"SNR {snr:F1} dB");
        Assert.That(snr, Is.GreaterThan(60));
    }

    [Test]
    public void Stereo_channels_are_resampled_independently()
    {
        var left = new short[48000];
        var right = new short[48000];
        new ToneGenerator(new AudioFormat(48000), 12000, 500).Fill(left);
        new ToneGenerator(new AudioFormat(48000), 12000, 2500).Fill(right);
        var interleaved = new short[96000];
        for (int i = 0; i < 48000; i++)
        {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
        }
        var resampler = new PolyphaseResampler(48000, 16000, channels: 2);
        var output = new short[resampler.MaxOutput(interleaved.Length) + resampler.MaxFlushOutput];
        int n = resampler.Process(interleaved, output);
        n += resampler.Flush(output.AsSpan(n));
        Assert.That(n, Is.EqualTo(32000));
        var outLeft = Enumerable.Range(1600, 12800).Select(i => output[2 * i]).ToArray();
        var outRight = Enumerable.Range(1600, 12800).Select(i => output[2 * i + 1]).ToArray();
        Assert.That(ToneShare(outLeft, 500, 16000), Is.GreaterThan(0.999));
        Assert.That(ToneShare(outRight, 2500, 16000), Is.GreaterThan(0.999));
    }

    [Test]
    public void Downsampling_rejects_content_above_the_new_nyquist()
    {
        var input = new short[48000];
        new ToneGenerator(new AudioFormat(48000), 16000, 6000).Fill(input); // aliases to 2 kHz at 8 kHz
        var resampler = new PolyphaseResampler(48000, 8000);
        var output = new short[resampler.MaxOutput(input.Length)];
        int n = resampler.Process(input, output);
        double level = 20 * Math.Log10(Rms(output.AsSpan(800, n - 1600)) / Rms(input) + 1e-12);
        TestContext.Out.WriteLine($"6 kHz after 48->8 kHz: {level:F1} dB");
        Assert.That(level, Is.LessThan(-60));
    }

    [Test]
    public void Wav_reader_and_writer_resample()
    {
        using var dir = new TempDirectory();
        var tone = new short[48000];
        new ToneGenerator(new AudioFormat(48000), 12000, 440).Fill(tone);
        using (var w = WavWriter.Create(dir.File("8k.wav"), new WavFormat(8000, 1), inputRate: 48000))
            w.Write(tone);
        var (format, at8k) = WavReader.Read(dir.File("8k.wav"));
        Assert.That(format.SampleRate, Is.EqualTo(8000));
        Assert.That(at8k, Has.Length.EqualTo(8000));
        Assert.That(ToneShare(at8k.AsSpan(800, 6400), 440, 8000), Is.GreaterThan(0.999));
        var (format16, at16k) = WavReader.Read(dir.File("8k.wav"), targetRate: 16000);
        Assert.That(format16.SampleRate, Is.EqualTo(16000));
        Assert.That(at16k, Has.Length.EqualTo(16000));
        Assert.That(ToneShare(at16k.AsSpan(1600, 12800), 440, 16000), Is.GreaterThan(0.999));
    }
}
