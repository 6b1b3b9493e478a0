namespace RtcClient.Media.Codecs;

/// <summary>G.711 encoder (PCMU or PCMA): 8 kHz mono, one byte per sample, any frame length.</summary>
public sealed class G711Encoder : IAudioEncoder
{
    /// <summary>Creates an encoder for <paramref name="law"/>.</summary>
    public G711Encoder(G711Law law)
    {
        Law = law;
        Info = G711Decoder.InfoFor(law);
    }

    /// <summary>The companding law.</summary>
    public G711Law Law { get; }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        G711.Encode(Law, pcm, payload);
        return pcm.Length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
