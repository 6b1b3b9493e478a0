using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>Keeps everything played out (bounded by its capacity).</summary>
public sealed class RecordingSink(int capacity) : IAudioFrameSink
{
    private readonly short[] _samples = new short[capacity];

    public int Count { get; private set; }

    public AudioFormat Format { get; } = new(8000);

    public ReadOnlySpan<short> Samples => _samples.AsSpan(0, Count);

    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        int n = Math.Min(frame.Length, _samples.Length - Count);
        frame[..n].CopyTo(_samples.AsSpan(Count));
        Count += n;
    }
}
