namespace RtcClient.Media.Io;

/// <summary>
/// Streaming rational-ratio resampler: a Kaiser-windowed sinc low-pass (16 zero crossings each side at
/// the narrower of the two bands, β = 8.6, about 80 dB stop band) evaluated as a polyphase filter bank,
/// one phase per output position modulo L (ratio L/M reduced by the greatest common divisor).
/// Allocation-free once its buffer has grown to the largest input chunk.
/// </summary>
public sealed class PolyphaseResampler
{
    private const int ZeroCrossings = 16;
    private const double Beta = 8.6;

    private readonly int up;      // L
    private readonly int down;    // M
    private readonly int channels;
    private readonly int half;    // taps either side of the centre, in input samples
    private readonly int taps;
    private readonly float[] coefficients; // [phase * taps + tap]
    private float[] buffer;       // interleaved input history
    private int have;             // frames in buffer
    private int index;            // frame index of the current output position in buffer
    private int phase;            // current output phase, 0..L-1
    private long framesIn;
    private long framesOut;

    /// <summary>Creates a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> for interleaved <paramref name="channels"/>.</summary>
    public PolyphaseResampler(int inputRate, int outputRate, int channels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        int g = Gcd(inputRate, outputRate);
        up = outputRate / g;
        down = inputRate / g;
        if (up > 1024)
            throw new ArgumentException($"ratio {outputRate}/{inputRate} needs too many phases");
        this.channels = channels;
        InputRate = inputRate;
        OutputRate = outputRate;
        // Cut off at 95 % of the lower Nyquist frequency, leaving a transition band for the window.
        double cutoff = Math.Min(1.0, (double)up / down) * 0.95;
        half = (int)Math.Ceiling(ZeroCrossings / cutoff);
        taps = 2 * half;
        coefficients = new float[up * taps];
        for (int p = 0; p < up; p++)
        {
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                double t = j - half + 1 - (double)p / up;
                double c = cutoff * Sinc(cutoff * t) * Kaiser(t / half);
                coefficients[p * taps + j] = (float)c;
                sum += c;
            }
            for (int j = 0; j < taps; j++)
                coefficients[p * taps + j] = (float)(coefficients[p * taps + j] / sum);
        }
        buffer = new float[(taps + 4096) * channels];
        Reset();
    }

    /// <summary>Input sample rate.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate.</summary>
    public int OutputRate { get; }

    /// <summary>Delay through the filter in input frames.</summary>
    public int DelayFrames => half;

    /// <summary>Upper bound of samples <see cref="Process"/> writes for <paramref name="inputSamples"/> samples.</summary>
    public int MaxOutput(int inputSamples) =>
        (int)(((long)(inputSamples / channels + taps) * up / down + 2) * channels);

    /// <summary>Upper bound of samples <see cref="Flush"/> writes.</summary>
    public int MaxFlushOutput => (int)(((long)2 * taps * up / down + 2) * channels);

    /// <summary>Forgets all history.</summary>
    public void Reset()
    {
        Array.Clear(buffer);
        have = half - 1;   // zeros before the first sample so it can be a filter centre
        index = half - 1;
        phase = 0;
        framesIn = 0;
        framesOut = 0;
    }

    /// <summary>Consumes interleaved <paramref name="input"/> and writes the output available so far; returns samples written.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int frames = input.Length / channels;
        Append(input[..(frames * channels)], frames);
        framesIn += frames;
        return Produce(output, long.MaxValue);
    }

    /// <summary>Pushes the filter tail out (zeros after the last input); returns samples written. Call once at the end.</summary>
    public int Flush(Span<short> output)
    {
        Span<short> zeros = stackalloc short[64];
        zeros.Clear();
        for (int left = taps * channels; left > 0; left -= zeros.Length)
        {
            int n = Math.Min(left, zeros.Length) / channels * channels;
            Append(zeros[..n], n / channels);
        }
        long expected = (framesIn * up + down - 1) / down;
        return Produce(output, expected);
    }

    private void Append(ReadOnlySpan<short> input, int frames)
    {
        int needed = (have + frames) * channels;
        if (needed > buffer.Length)
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        var dst = buffer.AsSpan(have * channels);
        for (int i = 0; i < frames * channels; i++)
            dst[i] = input[i];
        have += frames;
    }

    private int Produce(Span<short> output, long limit)
    {
        int written = 0;
        while (index + half < have && framesOut < limit && written + channels <= output.Length)
        {
            var coef = coefficients.AsSpan(phase * taps, taps);
            int first = (index - half + 1) * channels;
            for (int c = 0; c < channels; c++)
            {
                float acc = 0;
                int k = first + c;
                for (int j = 0; j < taps; j++, k += channels)
                    acc += buffer[k] * coef[j];
                output[written++] = (short)Math.Clamp(MathF.Round(acc), short.MinValue, short.MaxValue);
            }
            framesOut++;
            phase += down;
            index += phase / up;
            phase %= up;
        }
        // Drop input no future output can reach.
        int drop = Math.Min(index - half + 1, have);
        if (drop > 0)
        {
            buffer.AsSpan(drop * channels, (have - drop) * channels).CopyTo(buffer);
            have -= drop;
            index -= drop;
        }
        return written;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double Kaiser(double x) =>
        Math.Abs(x) > 1 ? 0 : BesselI0(Beta * Math.Sqrt(1 - x * x)) / BesselI0(Beta);

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++)
        {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum)
                break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
