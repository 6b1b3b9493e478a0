using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Calls;

/// <summary>An endless 500 Hz square wave at 8 kHz: loud enough that its arrival is unmistakable.</summary>
internal sealed class SquareWaveSource : IAudioFrameSource
{
    private int _phase;

    public AudioFormat Format { get; } = new(8000);

    public bool ReadFrame(Span<short> frame)
    {
        for (int i = 0; i < frame.Length; i++) frame[i] = (short)((_phase++ / 8 % 2 == 0) ? 8000 : -8000);
        return true;
    }
}
