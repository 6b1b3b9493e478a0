namespace RtcExamples;

/// <summary>Finds which tone a recording carries, with the Goertzel algorithm (one DFT bin per candidate).</summary>
public static class ToneAnalysis
{
    /// <summary>Power of <paramref name="frequency"/> in <paramref name="samples"/>.</summary>
    public static double Power(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }

    /// <summary>
    /// The candidate frequency between <paramref name="minHz"/> and <paramref name="maxHz"/> (in
    /// <paramref name="stepHz"/> steps) with the most power, or null when the signal is (nearly) silent.
    /// Looks at most at one second from the middle of the signal so the scan stays cheap.
    /// </summary>
    public static double? DominantFrequency(ReadOnlySpan<short> samples, int sampleRate, double minHz = 100, double maxHz = 2000, double stepHz = 5)
    {
        int length = Math.Min(samples.Length, sampleRate);
        if (length < sampleRate / 20) return null;
        var window = samples.Slice((samples.Length - length) / 2, length);
        double energy = 0;
        foreach (short x in window) energy += (double)x * x;
        if (energy / length < 100) return null; // below about -50 dBFS: silence
        double best = 0, bestHz = minHz;
        for (double f = minHz; f <= maxHz; f += stepHz)
        {
            double p = Power(window, f, sampleRate);
            if (p > best)
            {
                best = p;
                bestHz = f;
            }
        }
        return bestHz;
    }

    /// <summary>The dominant frequency of a WAV file (mono or the first channel).</summary>
    public static double? DominantFrequency(string wavPath)
    {
        var (format, samples) = RtcClient.Media.Io.WavReader.Read(wavPath);
        if (format.Channels > 1)
        {
            var mono = new short[samples.Length / format.Channels];
            for (int i = 0; i < mono.Length; i++) mono[i] = samples[i * format.Channels];
            samples = mono;
        }
        return DominantFrequency(samples, format.SampleRate);
    }
}
