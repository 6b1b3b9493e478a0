namespace RtcClient.Media.Codecs;

/// <summary>
/// Packet loss concealment for 8 kHz speech in the manner of ITU-T G.711 Appendix I: on loss the last
/// pitch period (found by normalised cross-correlation over 5-15 ms lags) is repeated, the repeated
/// span grows to two and three periods after 10 and 20 ms, the level falls 20 % per 10 ms after the
/// first 10 ms and reaches silence at 60 ms; the first good frame after a loss is cross-faded with
/// the continued substitute. Unlike Appendix I this runs without its 3.75 ms output delay, so the
/// period seam is smoothed with a quarter-period overlap-add inside the repeated template instead of
/// in already-played history. Allocation-free after construction.
/// </summary>
internal sealed class G711Concealer
{
    private const int HistoryLength = 390;   // 48.75 ms at 8 kHz
    private const int MinPitch = 40;         // 5 ms
    private const int MaxPitch = 120;        // 15 ms
    private const int CorrelationLength = 160; // 20 ms window for the pitch search
    private const int SamplesPer10Ms = 80;
    private const int SilenceAfter = 480;    // 60 ms

    private readonly short[] history = new short[HistoryLength];
    private readonly short[] snapshot = new short[HistoryLength];
    private readonly float[] template = new float[3 * MaxPitch];
    private int historyFill;
    private int pitch;
    private int periods;
    private int position;
    private int erased;

    /// <summary>Samples produced by concealment so far.</summary>
    public long ConcealedSamples { get; private set; }

    /// <summary>Records a decoded frame, first merging it with the substitute when it ends a loss.</summary>
    public void OnGoodFrame(Span<short> pcm)
    {
        if (erased > 0 && pcm.Length > 0)
        {
            // 4 ms cross-fade, plus 1 ms per extra 10 ms lost, at most 10 ms.
            int fade = Math.Min(Math.Min(32 + 8 * (erased / SamplesPer10Ms), 80), pcm.Length);
            for (int i = 0; i < fade; i++)
            {
                float w = (i + 1) / (float)(fade + 1);
                float substitute = NextSubstitute();
                pcm[i] = Saturate(w * pcm[i] + (1 - w) * substitute);
            }
            erased = 0;
        }
        Remember(pcm);
    }

    /// <summary>Fills <paramref name="pcm"/> with the substitute for a lost frame.</summary>
    public void Conceal(Span<short> pcm)
    {
        if (erased == 0)
            StartErasure();
        for (int i = 0; i < pcm.Length; i++)
        {
            if (pitch == 0 || erased >= SilenceAfter)
            {
                pcm[i] = 0;
                erased++;
                continue;
            }
            int wanted = Math.Min(3, 1 + erased / SamplesPer10Ms);
            if (wanted != periods)
            {
                periods = wanted;
                BuildTemplate();
            }
            pcm[i] = Saturate(NextSubstitute());
        }
        ConcealedSamples += pcm.Length;
        Remember(pcm);
    }

    private void StartErasure()
    {
        position = 0;
        periods = 1;
        // Later templates (two, three periods) come from the signal before the loss, not from the substitute.
        history.CopyTo(snapshot, 0);
        pitch = historyFill >= CorrelationLength + MaxPitch ? FindPitch() : 0;
        if (pitch != 0)
            BuildTemplate();
    }

    // Next sample of the periodic substitute with the Appendix I attenuation; advances the loss clock.
    private float NextSubstitute()
    {
        if (pitch == 0 || erased >= SilenceAfter)
        {
            erased++;
            return 0;
        }
        int length = periods * pitch;
        float value = template[position % length];
        position = (position + 1) % length;
        float gain = erased < SamplesPer10Ms ? 1f : 1f - 0.2f * (erased - SamplesPer10Ms) / SamplesPer10Ms;
        erased++;
        return value * Math.Max(gain, 0f);
    }

    // The last `periods` pitch periods of history, with the seam (end → start) smoothed by a quarter-period overlap-add.
    private void BuildTemplate()
    {
        int length = periods * pitch;
        int start = HistoryLength - length;
        for (int i = 0; i < length; i++)
            template[i] = snapshot[start + i];
        int quarter = Math.Max(pitch / 4, 1);
        for (int i = 0; i < quarter; i++)
        {
            float w = (i + 1) / (float)(quarter + 1);
            int t = length - quarter + i;
            // Fade the template's tail into the signal one template length earlier, so wrapping is continuous.
            template[t] = (1 - w) * template[t] + w * snapshot[start - quarter + i];
        }
    }

    private int FindPitch()
    {
        ReadOnlySpan<short> h = history;
        int windowStart = HistoryLength - CorrelationLength;
        // Coarse search at every second lag, then refine around the best.
        int best = MinPitch;
        double bestScore = double.NegativeInfinity;
        for (int lag = MinPitch; lag <= MaxPitch; lag += 2)
            Score(h, windowStart, lag, ref best, ref bestScore);
        int coarse = best;
        for (int lag = Math.Max(MinPitch, coarse - 1); lag <= Math.Min(MaxPitch, coarse + 1); lag++)
            Score(h, windowStart, lag, ref best, ref bestScore);
        return best;
    }

    private static void Score(ReadOnlySpan<short> h, int windowStart, int lag, ref int best, ref double bestScore)
    {
        double cross = 0, energy = 1e-9;
        for (int i = 0; i < CorrelationLength; i++)
        {
            double a = h[windowStart + i];
            double b = h[windowStart + i - lag];
            cross += a * b;
            energy += b * b;
        }
        double score = cross / Math.Sqrt(energy);
        if (score > bestScore)
        {
            bestScore = score;
            best = lag;
        }
    }

    private void Remember(ReadOnlySpan<short> pcm)
    {
        if (pcm.Length >= HistoryLength)
        {
            pcm[^HistoryLength..].CopyTo(history);
        }
        else
        {
            history.AsSpan(pcm.Length).CopyTo(history);
            pcm.CopyTo(history.AsSpan(HistoryLength - pcm.Length));
        }
        historyFill = Math.Min(HistoryLength, historyFill + pcm.Length);
    }

    private static short Saturate(float v) => (short)Math.Clamp(MathF.Round(v), short.MinValue, short.MaxValue);
}
