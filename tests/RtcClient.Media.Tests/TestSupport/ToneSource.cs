using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>A sine tone as an audio source.</summary>
public sealed class ToneSource(double frequency, int sampleRate, short amplitude = 8000) : IAudioFrameSource
{
    private long _sample;

    private readonly Random _noise = new(17);

    public bool Silent { get; set; }

    /// <summary>Peak of uniform background noise left when <see cref="Silent"/> (0: digital silence).</summary>
    public int NoiseAmplitude { get; set; }

    public AudioFormat Format { get; } = new(sampleRate);

    public bool ReadFrame(Span<short> frame)
    {
        for (int i = 0; i < frame.Length; i++, _sample++)
            frame[i] = Silent ? (short)(NoiseAmplitude == 0 ? 0 : _noise.Next(-NoiseAmplitude, NoiseAmplitude + 1)) : (short)(amplitude * Math.Sin(2 * Math.PI * frequency * _sample / sampleRate));
        return true;
    }
}
