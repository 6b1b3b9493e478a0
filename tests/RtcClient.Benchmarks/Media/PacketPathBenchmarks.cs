using RtcClient.Media.Codecs;
using BenchmarkDotNet.Attributes;
using RtcClient.Media.Jitter;
using RtcClient.Media.Packetization;
using RtcClient.Media.Rtp;

namespace RtcClient.Benchmarks.Media;

/// <summary>
/// Per-packet cost of the audio packet path in steady state: packetize a 20 ms G.711 frame
/// (with audio level), parse it, insert it into the jitter buffer and play one frame out.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PacketPathBenchmarks
{
    private readonly byte[] _payload = new byte[160];
    private readonly byte[] _packet = new byte[1500];
    private readonly short[] _pcm = new short[160];
    private AudioPacketizer _packetizer = null!;
    private AudioJitterBuffer _jitterBuffer = null!;
    private TimeSpan _now;

    [GlobalSetup]
    public void Setup()
    {
        _packetizer = AudioPacketizer.ForG711(0, 0x1234, TimeSpan.FromMilliseconds(20), 1, 1000);
        _jitterBuffer = new AudioJitterBuffer(new AudioJitterBufferOptions { ClockRate = 8000 }, new G711Decoder(G711Law.MuLaw));
        for (int i = 0; i < 200; i++)
            PacketizeInsertPlayout();
    }

    [Benchmark(Description = "packetize")]
    public int Packetize()
    {
        int n = _packetizer.Packetize(_payload, _packet, new AudioLevel(30, true));
        return n;
    }

    [Benchmark(Description = "packetize + parse + jitter insert + playout")]
    public int PacketizeInsertPlayout()
    {
        int n = _packetizer.Packetize(_payload, _packet, new AudioLevel(30, true));
        RtpPacket.TryParse(_packet.AsSpan(0, n), out var rtp);
        _jitterBuffer.Insert(rtp, _now);
        _now += TimeSpan.FromMilliseconds(20);
        return (int)_jitterBuffer.Read(_now, _pcm);
    }
}
