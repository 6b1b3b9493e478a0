using BenchmarkDotNet.Attributes;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Media;

/// <summary>Per-frame cost of Opus at 48 kHz mono, 20 ms, 32 kbit/s, complexity 9 (VOIP).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class OpusBenchmarks : IDisposable
{
    private const int Frame = 960;
    private short[] signal = [];
    private readonly byte[][] packets = new byte[50][];
    private readonly byte[] payload = new byte[OpusEncoder.MaxPayloadBytes];
    private readonly short[] output = new short[Frame];
    private OpusEncoder encoder = null!;
    private OpusDecoder decoder = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        signal = new short[50 * Frame];
        new ToneGenerator(new AudioFormat(48000), 12000, 180, 360, 720, 1440).Fill(signal);
        encoder = new OpusEncoder();
        decoder = new OpusDecoder();
        using var warm = new OpusEncoder();
        for (int i = 0; i < 50; i++)
        {
            int n = warm.Encode(signal.AsSpan(i * Frame, Frame), payload);
            packets[i] = payload.AsSpan(0, n).ToArray();
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        encoder?.Dispose();
        decoder?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int Encode()
    {
        int i = next++ % 50;
        return encoder.Encode(signal.AsSpan(i * Frame, Frame), payload);
    }

    [Benchmark]
    public int Decode() => decoder.Decode(packets[next++ % 50], output);

    [Benchmark]
    public int Conceal() => decoder.Conceal(output, Frame);
}
