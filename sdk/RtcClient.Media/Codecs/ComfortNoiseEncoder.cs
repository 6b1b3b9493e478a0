namespace RtcClient.Media.Codecs;

/// <summary>
/// Builds RFC 3389 comfort noise payloads from background PCM: the block's level and an all-pole
/// spectral model (autocorrelation of the Hann-windowed block with a small noise floor, Levinson-Durbin
/// recursion to reflection coefficients). Allocation-free.
/// </summary>
public sealed class ComfortNoiseEncoder : IAudioEncoder
{
    private readonly double[] autocorrelation;
    private readonly double[] reflection;
    private readonly double[] predictor;
    private readonly double[] scratch;

    /// <summary>
    /// Creates an encoder with model order <paramref name="order"/> (0..12) for <paramref name="sampleRate"/> Hz
    /// PCM; <paramref name="payloadType"/> defaults to 13 at 8 kHz (RFC 3551), and must be given otherwise.
    /// </summary>
    public ComfortNoiseEncoder(int order = 10, int sampleRate = 8000, byte? payloadType = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, ComfortNoise.MaxOrder);
        Order = order;
        autocorrelation = new double[order + 1];
        reflection = new double[order];
        predictor = new double[order + 1];
        scratch = new double[order + 1];
        Info = new AudioCodecInfo("CN", payloadType ?? (sampleRate == 8000 ? ComfortNoise.PayloadType : (byte)0), sampleRate, sampleRate, 1);
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Number of reflection coefficients per payload.</summary>
    public int Order { get; }

    /// <inheritdoc />
    /// <remarks>Returns 1 + <see cref="Order"/> bytes; an empty block gives level 127 (silence) and a flat spectrum.</remarks>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (payload.Length < 1 + Order)
            throw new ArgumentException($"payload needs {1 + Order} bytes", nameof(payload));
        double energy = 0;
        foreach (short s in pcm)
            energy += (double)s * s;
        payload[0] = pcm.IsEmpty ? (byte)127 : ComfortNoise.LevelFromMeanSquare(energy / pcm.Length);
        ComputeReflection(pcm);
        for (int i = 0; i < Order; i++)
            payload[1 + i] = ComfortNoise.QuantizeReflection(reflection[i]);
        return 1 + Order;
    }

    private void ComputeReflection(ReadOnlySpan<short> pcm)
    {
        int n = pcm.Length;
        for (int lag = 0; lag <= Order; lag++)
        {
            double sum = 0;
            for (int i = lag; i < n; i++)
                sum += Hann(i, n) * pcm[i] * Hann(i - lag, n) * pcm[i - lag];
            autocorrelation[lag] = sum;
        }
        // A -40 dB white-noise floor keeps the recursion stable for silent or tonal blocks.
        autocorrelation[0] = autocorrelation[0] * 1.0001 + 1e-9;
        LevinsonDurbin(autocorrelation, reflection, predictor, scratch);
    }

    private static double Hann(int i, int n) => n <= 1 ? 1 : 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / n);

    /// <summary>
    /// Levinson-Durbin for the error filter A(z) = 1 + Σ a_j z^-j: fills reflection coefficients k_i
    /// (|k| &lt; 1 for a positive-definite autocorrelation) and the direct-form coefficients.
    /// </summary>
    internal static void LevinsonDurbin(ReadOnlySpan<double> r, Span<double> k, Span<double> a, Span<double> tmp)
    {
        int order = k.Length;
        a.Clear();
        a[0] = 1;
        double error = r[0];
        for (int i = 1; i <= order; i++)
        {
            double acc = r[i];
            for (int j = 1; j < i; j++)
                acc += a[j] * r[i - j];
            double ki = error > 0 ? Math.Clamp(-acc / error, -0.9999, 0.9999) : 0;
            k[i - 1] = ki;
            a[..i].CopyTo(tmp);
            for (int j = 1; j < i; j++)
                a[j] = tmp[j] + ki * tmp[i - j];
            a[i] = ki;
            error *= 1 - ki * ki;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
