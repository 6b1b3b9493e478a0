using BenchmarkDotNet.Attributes;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Recovery;

namespace RtcClient.Benchmarks.Quic;

/// <summary>Parsing and writing the frames of a typical 1-RTT payload: ACK with ranges, MAX_DATA, two STREAM frames, a DATAGRAM.</summary>
[MemoryDiagnoser]
public class FrameReaderBenchmarks
{
    private readonly byte[] _payload = new byte[1170];
    private readonly byte[] _data = new byte[400];
    private readonly AckRange[] _ranges = [new(900, 1000), new(850, 880), new(700, 800)];

    [GlobalSetup]
    public void Setup() => WriteTypicalPacket();

    [Benchmark]
    public long ReadTypicalPacket()
    {
        var reader = new FrameReader(_payload);
        long sum = 0;
        while (reader.TryRead(out Frame frame))
        {
            switch (frame.Type)
            {
                case FrameType.Ack:
                    foreach (AckRange range in frame.AckRanges) sum += range.Count;
                    break;
                case FrameType.Stream:
                case FrameType.Datagram:
                    sum += frame.Data.Length;
                    break;
                default:
                    sum++;
                    break;
            }
        }

        return sum;
    }

    [Benchmark]
    public int WriteTypicalPacket()
    {
        Span<byte> p = _payload;
        int n = 0;
        FrameWriter.TryWriteAck(p[n..], _ranges, 25, null, out int w); n += w;
        FrameWriter.TryWriteMaxData(p[n..], 1 << 24, out w); n += w;
        FrameWriter.TryWriteStream(p[n..], 0, 123456, _data, false, true, out w); n += w;
        FrameWriter.TryWriteDatagram(p[n..], _data.AsSpan(0, 200), true, out w); n += w;
        int room = FrameSize.GetMaxStreamDataLength(4, 999, p.Length - n, includeLength: false);
        FrameWriter.TryWriteStream(p[n..], 4, 999, _data.AsSpan(0, Math.Min(room, _data.Length)), true, false, out w); n += w;
        FrameWriter.TryWritePadding(p[n..], p.Length - n, out w);
        return n + w;
    }
}
