namespace RtcClient.Media.Tests;

/// <summary>Deterministic test signals.</summary>
internal static class TestSignals
{
    /// <summary>
    /// Speech-like: a 120-180 Hz gliding glottal fundamental with 30 harmonics shaped by three formant
    /// resonances (700, 1200, 2600 Hz) and a 4 Hz syllabic amplitude modulation.
    /// </summary>
    public static short[] SpeechLike(int sampleRate, double seconds, double peak = 12000)
    {
        int n = (int)(sampleRate * seconds);
        var output = new short[n];
        double phase = 0;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            double f0 = 150 + 30 * Math.Sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            double v = 0;
            for (int h = 1; h <= 30; h++)
            {
                double f = h * f0;
                if (f > sampleRate / 2.2)
                    break;
                double envelope = Formant(f, 700, 130) + 0.6 * Formant(f, 1200, 150) + 0.3 * Formant(f, 2600, 250);
                v += envelope / h * Math.Sin(h * phase);
            }
            double syllable = 0.55 + 0.45 * Math.Sin(2 * Math.PI * 4 * t);
            output[i] = (short)Math.Clamp(peak * 0.6 * syllable * v, short.MinValue, short.MaxValue);
        }
        return output;
    }

    private static double Formant(double f, double centre, double bandwidth) =>
        1.0 / (1.0 + Math.Pow((f - centre) / bandwidth, 2));

    /// <summary>Normalized cross-correlation of <paramref name="a"/> and <paramref name="b"/> shifted by <paramref name="lag"/> (b[i + lag] against a[i]).</summary>
    public static double Correlation(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int lag)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int j = i + lag;
            if (j < 0 || j >= b.Length)
                continue;
            ab += (double)a[i] * b[j];
            aa += (double)a[i] * a[i];
            bb += (double)b[j] * b[j];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }

    /// <summary>Best normalized correlation over lags 0..<paramref name="maxLag"/> (b delayed against a), with the lag.</summary>
    public static (double Correlation, int Lag) BestCorrelation(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int maxLag)
    {
        double best = double.NegativeInfinity;
        int bestLag = 0;
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double c = Correlation(a, b, lag);
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }
        return (best, bestLag);
    }
}
