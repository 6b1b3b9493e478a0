using RtcClient.Media.Codecs;

namespace RtcClient.Benchmarks.Media;

/// <summary>
/// A G.711-sized stand-in codec (one byte per sample, PT 0, 8 kHz) so the pipeline benchmarks do
/// not depend on the codec branch; the per-sample work is comparable to a G.711 table lookup.
/// </summary>
public sealed class BenchmarkPcmCodec : IAudioEncoder, IAudioDecoder
{
    public AudioCodecInfo Info { get; } = new("PCMU", 0, 8000, 8000, 1);

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        for (int i = 0; i < pcm.Length; i++)
            payload[i] = (byte)(pcm[i] >> 8);
        return pcm.Length;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        for (int i = 0; i < payload.Length; i++)
            pcm[i] = (short)((sbyte)payload[i] << 8);
        return payload.Length;
    }

    public int Conceal(Span<short> pcm, int samplesPerChannel)
    {
        pcm[..samplesPerChannel].Clear();
        return samplesPerChannel;
    }

    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel) => 0;

    public void Dispose()
    {
    }
}
