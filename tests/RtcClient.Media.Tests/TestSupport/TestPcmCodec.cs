using System.Buffers.Binary;
using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>
/// A trivial linear 16-bit codec (like L16) for pipeline tests: exact round trip, concealment
/// repeats the last frame attenuated, no FEC. Counts calls so tests can check what the buffer did.
/// </summary>
public sealed class TestPcmCodec : IAudioEncoder, IAudioDecoder
{
    private readonly short[] _last;

    public TestPcmCodec(int sampleRate = 8000, byte payloadType = 96)
    {
        Info = new AudioCodecInfo("L16", payloadType, sampleRate, sampleRate, 1);
        _last = new short[sampleRate / 50];
    }

    public AudioCodecInfo Info { get; }

    public int Decodes { get; private set; }

    public int Conceals { get; private set; }

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (payload.Length < pcm.Length * 2)
            return 0;
        for (int i = 0; i < pcm.Length; i++)
            BinaryPrimitives.WriteInt16BigEndian(payload[(i * 2)..], pcm[i]);
        return pcm.Length * 2;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        Decodes++;
        int n = Math.Min(payload.Length / 2, pcm.Length);
        for (int i = 0; i < n; i++)
            pcm[i] = BinaryPrimitives.ReadInt16BigEndian(payload[(i * 2)..]);
        pcm[..Math.Min(n, _last.Length)].CopyTo(_last);
        return n;
    }

    public int Conceal(Span<short> pcm, int samplesPerChannel)
    {
        Conceals++;
        int n = Math.Min(samplesPerChannel, Math.Min(pcm.Length, _last.Length));
        for (int i = 0; i < n; i++)
        {
            _last[i] = (short)(_last[i] / 2);
            pcm[i] = _last[i];
        }
        return n;
    }

    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel) => 0;

    public void Dispose()
    {
    }
}
