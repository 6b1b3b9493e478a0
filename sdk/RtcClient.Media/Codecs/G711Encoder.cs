namespace RtcClient.Media.Codecs;

/// <summary>G.711 encoder (PCMU or PCMA): 8 kHz mono, one byte per sample, any frame length.</summary>
public sealed class G711Encoder : IAudioEncoder
{
    /// <summary>Creates an encoder for <paramref name="law"/> with the ITU quantization.</summary>
    public G711Encoder(G711Law law)
        : this(law, G711Quantization.Itu)
    {
    }

    /// <summary>Creates an encoder for <paramref name="law"/> with the given <paramref name="quantization"/>.</summary>
    public G711Encoder(G711Law law, G711Quantization quantization)
    {
        if (!Enum.IsDefined(quantization))
            throw new ArgumentOutOfRangeException(nameof(quantization), quantization, "unknown G.711 quantization");
        Law = law;
        Quantization = quantization;
        Info = G711Decoder.InfoFor(law);
    }

    /// <summary>The companding law.</summary>
    public G711Law Law { get; }

    /// <summary>How 16-bit samples are mapped onto codes.</summary>
    public G711Quantization Quantization { get; }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        G711.Encode(Law, Quantization, pcm, payload);
        return pcm.Length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
