using RtcClient.Media.Streams;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>A sine tone as an audio source.</summary>
public sealed class ToneSource(double frequency, int sampleRate, short amplitude = 8000) : IAudioSource
{
    private long _sample;

    public bool Silent { get; set; }

    public bool ReadFrame(Span<short> frame)
    {
        for (int i = 0; i < frame.Length; i++, _sample++)
            frame[i] = Silent ? (short)0 : (short)(amplitude * Math.Sin(2 * Math.PI * frequency * _sample / sampleRate));
        return true;
    }
}
