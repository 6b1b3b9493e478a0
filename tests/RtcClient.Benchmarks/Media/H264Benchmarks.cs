using System.Buffers;
using BenchmarkDotNet.Attributes;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Media;

/// <summary>Per-frame cost of H.264 at 640x360, 800 kbit/s, 30 fps (one IDR per 60 frames in the decode loop).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class H264Benchmarks : IDisposable
{
    private const int Width = 640;
    private const int Height = 360;
    private const int Cycle = 60;
    private readonly VideoFrame[] frames = new VideoFrame[Cycle];
    private readonly byte[][] accessUnits = new byte[Cycle][];
    private readonly ArrayBufferWriter<byte> output = new(256 * 1024);
    private readonly byte[] picture = new byte[VideoFrame.GetBufferSize(Width, Height)];
    private H264Encoder encoder = null!;
    private H264Decoder decoder = null!;
    private int nextEncode;
    private int nextDecode;

    [GlobalSetup]
    public void Setup()
    {
        var source = new SyntheticVideoSource(Width, Height);
        for (int i = 0; i < Cycle; i++)
            frames[i] = source.NextFrame();
        using (var warm = new H264Encoder(Width, Height, 800_000, 30, keyFrameInterval: Cycle))
        {
            for (int i = 0; i < Cycle; i++)
            {
                output.ResetWrittenCount();
                warm.Encode(frames[i], output);
                accessUnits[i] = output.WrittenSpan.ToArray();
            }
        }
        encoder = new H264Encoder(Width, Height, 800_000, 30);
        decoder = new H264Decoder();
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
        output.ResetWrittenCount();
        encoder.Encode(frames[nextEncode++ % Cycle], output);
        return output.WrittenCount;
    }

    /// <summary>Decodes into a reused buffer (<see cref="H264Decoder.DecodeInto"/>).</summary>
    [Benchmark]
    public bool Decode() => decoder.DecodeInto(accessUnits[nextDecode++ % Cycle], picture, out _, out _);
}
