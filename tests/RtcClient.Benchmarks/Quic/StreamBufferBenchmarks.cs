using BenchmarkDotNet.Attributes;
using RtcClient.Quic.Streams;

namespace RtcClient.Benchmarks.Quic;

/// <summary>
/// Steady-state cost of moving one 1100-byte STREAM frame's worth of data through the stream
/// buffers: write, pick chunk, copy out, acknowledge (send side); and take out-of-order data and
/// read it (receive side).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StreamBufferBenchmarks : IDisposable
{
    private const int FrameSize = 1100;

    private readonly byte[] _payload = new byte[FrameSize];
    private readonly byte[] _frame = new byte[FrameSize];
    private readonly byte[] _read = new byte[2 * FrameSize];
    private SendBuffer _send = null!;
    private ReceiveBuffer _receive = null!;
    private long _receiveOffset;

    [GlobalSetup]
    public void Setup()
    {
        _send = new SendBuffer(256 * 1024);
        _receive = new ReceiveBuffer(1024 * 1024);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One frame: application write, chunk selection, copy for encoding, acknowledgment.</summary>
    [Benchmark]
    public int SendBufferFrameCycle()
    {
        _send.Write(_payload);
        _send.TryGetNextChunk(FrameSize, long.MaxValue, out var chunk);
        _send.CopyTo(chunk.Offset, _frame.AsSpan(0, chunk.Length));
        _send.OnAcked(chunk.Offset, chunk.Length, chunk.Fin);
        return chunk.Length;
    }

    /// <summary>Two frames arriving swapped (reassembly through a gap), then one read of both.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public int ReceiveBufferReorderedPair()
    {
        long o = _receiveOffset;
        _receive.OnData(o + FrameSize, _payload, fin: false);
        _receive.OnData(o, _payload, fin: false);
        int n = _receive.Read(_read);
        _receiveOffset = o + 2 * FrameSize;
        _receive.Limit = _receiveOffset + 1024 * 1024;
        return n;
    }
}
