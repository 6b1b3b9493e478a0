namespace RtcClient.Media.Codecs;

/// <summary>
/// Generates comfort noise from RFC 3389 payloads: white noise from a fixed-seed generator, shaped by
/// the all-pole filter of the received reflection coefficients and scaled so the output has the
/// received level. <see cref="Decode"/> takes a new payload and fills the whole buffer; <see cref="Conceal"/>
/// keeps generating with the last parameters. Malformed payloads (empty, level bit 7 set, order over
/// 12) are ignored and counted. Allocation-free.
/// </summary>
public sealed class ComfortNoiseDecoder : IAudioDecoder
{
    private readonly double[] reflection = new double[ComfortNoise.MaxOrder];
    private readonly double[] predictor = new double[ComfortNoise.MaxOrder + 1];
    private readonly double[] tmp = new double[ComfortNoise.MaxOrder + 1];
    private readonly double[] history = new double[ComfortNoise.MaxOrder];
    private int order;
    private double excitationGain;
    private double currentGain;
    private uint seed = 0x2545F491;

    /// <summary>Creates a decoder producing <paramref name="sampleRate"/> Hz PCM.</summary>
    public ComfortNoiseDecoder(int sampleRate = 8000)
    {
        Info = new AudioCodecInfo("CN", sampleRate == 8000 ? ComfortNoise.PayloadType : (byte)0, sampleRate, sampleRate, 1);
        predictor[0] = 1;
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Level of the last accepted payload in -dBov.</summary>
    public int Level { get; private set; } = 127;

    /// <summary>Model order of the last accepted payload.</summary>
    public int Order => order;

    /// <summary>Payloads rejected as malformed.</summary>
    public long MalformedPayloads { get; private set; }

    /// <summary>Takes new noise parameters; false (and nothing changes) when the payload is malformed.</summary>
    public bool Update(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || (payload[0] & 0x80) != 0 || payload.Length - 1 > ComfortNoise.MaxOrder)
        {
            MalformedPayloads++;
            return false;
        }
        Level = payload[0];
        order = payload.Length - 1;
        double predictionGain = 1;
        for (int i = 0; i < order; i++)
        {
            reflection[i] = Math.Clamp(ComfortNoise.DequantizeReflection(payload[1 + i]), -0.9999, 0.9999);
            predictionGain *= 1 - reflection[i] * reflection[i];
        }
        StepUp();
        // An all-pole filter driven by unit-variance noise outputs variance 1/Π(1-k²); unit-variance uniform noise is scaled to match.
        excitationGain = Math.Sqrt(ComfortNoise.MeanSquareFromLevel(Level) * predictionGain);
        return true;
    }

    // Reflection coefficients to direct form A(z) = 1 + Σ a_j z^-j (the step-up recursion).
    private void StepUp()
    {
        Array.Clear(predictor);
        predictor[0] = 1;
        for (int i = 1; i <= order; i++)
        {
            double k = reflection[i - 1];
            Array.Copy(predictor, tmp, i);
            for (int j = 1; j < i; j++)
                predictor[j] = tmp[j] + k * tmp[i - j];
            predictor[i] = k;
        }
    }

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        Update(payload);
        Generate(pcm);
        return pcm.Length;
    }

    /// <inheritdoc />
    public int Conceal(Span<short> pcm, int samplesPerChannel)
    {
        var span = pcm[..Math.Min(samplesPerChannel, pcm.Length)];
        Generate(span);
        return span.Length;
    }

    /// <inheritdoc />
    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel) => 0;

    /// <summary>Fills <paramref name="pcm"/> with noise at the current level and spectrum.</summary>
    public void Generate(Span<short> pcm)
    {
        const double UniformToUnitVariance = 3.4641016151377544; // sqrt(12)
        for (int n = 0; n < pcm.Length; n++)
        {
            // Glide the gain over a few milliseconds so a new level does not click.
            currentGain += (excitationGain - currentGain) * 0.01;
            double e = (NextUniform() - 0.5) * UniformToUnitVariance * currentGain;
            double y = e;
            for (int j = 1; j <= order; j++)
                y -= predictor[j] * history[j - 1];
            for (int j = order - 1; j > 0; j--)
                history[j] = history[j - 1];
            if (order > 0)
                history[0] = y;
            pcm[n] = (short)Math.Clamp(Math.Round(y), short.MinValue, short.MaxValue);
        }
    }

    private double NextUniform()
    {
        // xorshift32: cheap, deterministic, good enough for noise.
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        return seed / 4294967296.0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
