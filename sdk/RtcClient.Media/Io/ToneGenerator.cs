namespace RtcClient.Media.Io;

/// <summary>
/// Endless sum of sine tones (one tone, or e.g. two for a DTMF-like signal) with continuous phase
/// across frames; every channel carries the same signal. Allocation-free.
/// </summary>
public sealed class ToneGenerator : IAudioFrameSource
{
    private readonly double[] frequencies;
    private readonly double[] phases;
    private readonly double amplitude;

    /// <summary>Creates a generator of <paramref name="frequencies"/> (Hz) whose sum peaks at <paramref name="amplitude"/>.</summary>
    public ToneGenerator(AudioFormat format, double amplitude, params double[] frequencies)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        if (frequencies.Length == 0)
            throw new ArgumentException("at least one frequency", nameof(frequencies));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amplitude, 32767.0);
        Format = format;
        this.amplitude = amplitude / frequencies.Length;
        this.frequencies = (double[])frequencies.Clone();
        phases = new double[frequencies.Length];
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public bool ReadFrame(Span<short> frame)
    {
        Fill(frame[..Format.FrameSamples]);
        return true;
    }

    /// <summary>Fills <paramref name="pcm"/> (interleaved) with the next samples.</summary>
    public void Fill(Span<short> pcm)
    {
        int channels = Format.Channels;
        for (int i = 0; i + channels <= pcm.Length; i += channels)
        {
            double v = 0;
            for (int t = 0; t < frequencies.Length; t++)
            {
                v += Math.Sin(phases[t]);
                phases[t] += 2 * Math.PI * frequencies[t] / Format.SampleRate;
                if (phases[t] > 2 * Math.PI)
                    phases[t] -= 2 * Math.PI;
            }
            short s = (short)Math.Round(v * amplitude);
            for (int c = 0; c < channels; c++)
                pcm[i + c] = s;
        }
    }
}
