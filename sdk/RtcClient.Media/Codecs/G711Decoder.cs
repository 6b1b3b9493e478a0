namespace RtcClient.Media.Codecs;

/// <summary>
/// G.711 decoder (PCMU or PCMA) with pitch-based waveform substitution for lost frames
/// (<see cref="G711Concealer"/>).
/// </summary>
public sealed class G711Decoder : IAudioDecoder
{
    private readonly G711Concealer concealer = new();

    /// <summary>Creates a decoder for <paramref name="law"/>.</summary>
    public G711Decoder(G711Law law)
    {
        Law = law;
        Info = InfoFor(law);
    }

    /// <summary>The companding law.</summary>
    public G711Law Law { get; }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Samples concealed so far.</summary>
    public long ConcealedSamples => concealer.ConcealedSamples;

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        int n = Math.Min(payload.Length, pcm.Length);
        G711.Decode(Law, payload[..n], pcm);
        concealer.OnGoodFrame(pcm[..n]);
        return n;
    }

    /// <inheritdoc />
    public int Conceal(Span<short> pcm, int samplesPerChannel)
    {
        int n = Math.Min(samplesPerChannel, pcm.Length);
        concealer.Conceal(pcm[..n]);
        return n;
    }

    /// <inheritdoc />
    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel) => 0;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    internal static AudioCodecInfo InfoFor(G711Law law) => law == G711Law.MuLaw
        ? new AudioCodecInfo("PCMU", 0, 8000, 8000, 1)
        : new AudioCodecInfo("PCMA", 8, 8000, 8000, 1);
}
