using RtcClient.Media.Codecs;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// Removes SFrame protection from each received audio frame before decoding. A frame that fails
/// (altered, unknown key, replayed) is dropped and silence plays in its place; the SFrame receiver
/// counts it. In-band FEC is not used: recovering from the next frame would decrypt it twice.
/// </summary>
internal sealed class ProtectedAudioDecoder(IAudioDecoder inner, IMediaFrameUnprotector unprotector) : IAudioDecoder
{
    private readonly byte[] _clear = new byte[1500];

    public AudioCodecInfo Info => inner.Info;

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (unprotector.Unprotect(payload, default, _clear, out int length) != SFrameStatus.Success)
        {
            int samples = Info.SampleRate / 50;
            pcm[..Math.Min(pcm.Length, samples * Math.Max(1, Info.Channels))].Clear();
            return samples;
        }
        return inner.Decode(_clear.AsSpan(0, length), pcm);
    }

    public int Conceal(Span<short> pcm, int samplesPerChannel) => inner.Conceal(pcm, samplesPerChannel);

    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel) => 0;

    public void Dispose() => inner.Dispose();
}
