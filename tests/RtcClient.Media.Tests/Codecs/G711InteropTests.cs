using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.Codecs;

/// <summary>
/// G.711 against sox and ffmpeg on the same WAV files. Decoding agrees on all 256 codes. Encoding
/// differs by design in how the two tools reduce 16-bit samples before quantizing: sox rounds to 14/13
/// bits (and takes a two's complement magnitude for negative µ-law samples); ffmpeg places decision
/// levels at midpoints between reconstruction values. Our encoder offers both as
/// <see cref="G711Quantization"/> choices, and the tests require bit-identity with each tool, and
/// count where the tools differ from the ITU quantization (the default).
/// </summary>
[Category("Interop")]
public class G711InteropTests
{
    private static short[] AllSamples()
    {
        var all = new short[65536];
        for (int i = 0; i < all.Length; i++)
            all[i] = (short)(i - 32768);
        return all;
    }

    private static short[] SpeechLike() => TestSignals.SpeechLike(8000, 1.0);

    private static string Tool(G711Law law, bool ffmpeg) => (law, ffmpeg) switch
    {
        (G711Law.MuLaw, false) => "u-law",
        (G711Law.ALaw, false) => "a-law",
        (G711Law.MuLaw, true) => "mulaw",
        _ => "alaw",
    };

    private static byte[] SoxEncode(TempDirectory dir, short[] samples, G711Law law)
    {
        var wav = dir.File("in.wav");
        using (var w = WavWriter.Create(wav, new WavFormat(8000, 1)))
            w.Write(samples);
        var raw = dir.File("sox.raw");
        ExternalTool.Run("sox", ["-D", "-V1", wav, "-t", "raw", "-e", Tool(law, false), "-b", "8", raw]);
        return File.ReadAllBytes(raw);
    }

    private static byte[] FfmpegEncode(TempDirectory dir, short[] samples, G711Law law)
    {
        var wav = dir.File("in.wav");
        using (var w = WavWriter.Create(wav, new WavFormat(8000, 1)))
            w.Write(samples);
        var raw = dir.File("ff.raw");
        ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", wav, "-c:a", law == G711Law.MuLaw ? "pcm_mulaw" : "pcm_alaw", "-f", Tool(law, true), raw]);
        return File.ReadAllBytes(raw);
    }

    private static short Decode(G711Law law, byte code) => law == G711Law.MuLaw ? G711.MuLawToLinear(code) : G711.ALawToLinear(code);

    private static byte[] Ours(G711Law law, G711Quantization quantization, short[] samples)
    {
        var codes = new byte[samples.Length];
        using var encoder = new G711Encoder(law, quantization);
        Assert.That(encoder.Encode(samples, codes), Is.EqualTo(samples.Length));
        return codes;
    }

    [Test]
    public void Sox_decodes_all_256_codes_like_us([Values] G711Law law)
    {
        using var dir = new TempDirectory();
        var codes = new byte[256];
        for (int i = 0; i < 256; i++)
            codes[i] = (byte)i;
        File.WriteAllBytes(dir.File("in.raw"), codes);
        ExternalTool.Run("sox", ["-V1", "-t", "raw", "-r", "8000", "-c", "1", "-e", Tool(law, false), "-b", "8", dir.File("in.raw"),
            "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", dir.File("out.raw")]);
        var pcm = ReadShorts(dir.File("out.raw"));
        Assert.That(pcm, Has.Length.EqualTo(256));
        for (int i = 0; i < 256; i++)
            Assert.That(pcm[i], Is.EqualTo(Decode(law, (byte)i)), $"code {i:X2}");
    }

    [Test]
    public void Ffmpeg_decodes_all_256_codes_like_us([Values] G711Law law)
    {
        using var dir = new TempDirectory();
        var codes = new byte[256];
        for (int i = 0; i < 256; i++)
            codes[i] = (byte)i;
        File.WriteAllBytes(dir.File("in.raw"), codes);
        ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", Tool(law, true), "-ar", "8000", "-ac", "1", "-i", dir.File("in.raw"),
            "-f", "s16le", "-c:a", "pcm_s16le", dir.File("out.raw")]);
        var pcm = ReadShorts(dir.File("out.raw"));
        Assert.That(pcm, Has.Length.EqualTo(256));
        for (int i = 0; i < 256; i++)
            Assert.That(pcm[i], Is.EqualTo(Decode(law, (byte)i)), $"code {i:X2}");
    }

    [Test]
    public void Sox_output_is_bit_identical_to_our_rounded_input_quantization([Values] G711Law law, [Values] bool allInputs)
    {
        using var dir = new TempDirectory();
        var samples = allInputs ? AllSamples() : SpeechLike();
        var sox = SoxEncode(dir, samples, law);
        Assert.That(sox, Has.Length.EqualTo(samples.Length));
        Assert.That(sox, Is.EqualTo(Ours(law, G711Quantization.RoundedInput, samples)));
        var ours = Ours(law, G711Quantization.Itu, samples);
        int differ = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            if (sox[i] != ours[i])
            {
                differ++;
                Assert.That(Math.Abs(Decode(law, sox[i]) - Decode(law, ours[i])), Is.LessThanOrEqualTo(1024), "only neighbouring codes may differ");
            }
        }
        TestContext.Out.WriteLine($"{law}: {differ} of {samples.Length} samples differ from G.191's truncating reduction");
    }

    [Test]
    public void Ffmpeg_output_is_bit_identical_to_our_nearest_level_quantization([Values] G711Law law, [Values] bool allInputs)
    {
        using var dir = new TempDirectory();
        var samples = allInputs ? AllSamples() : SpeechLike();
        var ff = FfmpegEncode(dir, samples, law);
        Assert.That(ff, Has.Length.EqualTo(samples.Length));
        Assert.That(ff, Is.EqualTo(Ours(law, G711Quantization.NearestLevel, samples)));
        var ours = Ours(law, G711Quantization.Itu, samples);
        int differ = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            if (ff[i] != ours[i])
            {
                differ++;
                Assert.That(Math.Abs(Decode(law, ff[i]) - Decode(law, ours[i])), Is.LessThanOrEqualTo(1024), "only neighbouring codes may differ");
            }
        }
        TestContext.Out.WriteLine($"{law}: {differ} of {samples.Length} samples differ from the G.711 decision levels");
    }

    private static short[] ReadShorts(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pcm = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }
}
