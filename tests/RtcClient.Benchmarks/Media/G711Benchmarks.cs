using BenchmarkDotNet.Attributes;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Media;

/// <summary>Per-frame cost of G.711 (20 ms at 8 kHz): encode, decode, and concealment of a lost frame.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class G711Benchmarks : IDisposable
{
    private readonly short[] pcm = new short[160];
    private readonly byte[] payload = new byte[160];
    private readonly short[] output = new short[160];
    private G711Encoder encoder = null!;
    private G711Decoder decoder = null!;

    /// <summary>Which law.</summary>
    [Params(G711Law.MuLaw, G711Law.ALaw)]
    public G711Law Law { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new ToneGenerator(new AudioFormat(8000), 12000, 440, 1300).Fill(pcm);
        encoder = new G711Encoder(Law);
        decoder = new G711Decoder(Law);
        encoder.Encode(pcm, payload);
        for (int i = 0; i < 4; i++)
            decoder.Decode(payload, output);
    }

    [Benchmark]
    public int Encode() => encoder.Encode(pcm, payload);

    [Benchmark]
    public int Decode() => decoder.Decode(payload, output);

    /// <summary>One lost frame concealed, then the next good frame merged (a loss-and-recover cycle).</summary>
    [Benchmark]
    public int ConcealAndRecover() => decoder.Conceal(output, 160) + decoder.Decode(payload, output);

    [GlobalCleanup]
    public void Dispose()
    {
        encoder?.Dispose();
        decoder?.Dispose();
        GC.SuppressFinalize(this);
    }
}
