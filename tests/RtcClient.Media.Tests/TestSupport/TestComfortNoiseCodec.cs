using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>
/// Stand-in for an RFC 3389 codec: the SID carries only a noise level byte; the decoder plays a
/// low constant "noise" so tests can see where comfort noise was played.
/// </summary>
public sealed class TestComfortNoiseCodec : IAudioEncoder, IAudioDecoder
{
    public const short NoiseValue = 3;

    public AudioCodecInfo Info { get; } = new("CN", 13, 8000, 8000, 1);

    public int SidsDecoded { get; private set; }

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        payload[0] = 80; // noise level in -dBov
        return 1;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        SidsDecoded++;
        pcm[..160].Fill(NoiseValue);
        return 160;
    }

    public int Conceal(Span<short> pcm, int samplesPerChannel)
    {
        pcm[..samplesPerChannel].Fill(NoiseValue);
        return samplesPerChannel;
    }

    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel) => 0;

    public void Dispose()
    {
    }
}
