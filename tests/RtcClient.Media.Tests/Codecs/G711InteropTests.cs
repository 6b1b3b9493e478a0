using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.Codecs;

/// <summary>
/// G.711 against sox and ffmpeg on the same WAV files. Decoding agrees on all 256 codes. Encoding
/// differs by design in how the two tools reduce 16-bit samples before quantizing: sox rounds to 14/13
/// bits (and takes a two's complement magnitude for negative µ-law samples); ffmpeg places decision
/// levels at midpoints between reconstruction values. The tests model exactly that input handling and
/// require bit-identity, and separately count where the tools differ from ITU-T G.191's reduction.
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

    // sox: SOX_SAMPLE_TO_SIGNED rounds half up to 14 (µ) / 13 (A) bits with clipping; its µ-law takes -r as the magnitude of negative r.
    private static byte SoxModel(G711Law law, short x)
    {
        if (law == G711Law.MuLaw)
        {
            int r = Math.Min((x + 2) >> 2, 8191);
            return G711.LinearToMuLaw((short)(r < 0 ? Math.Max(4 * r - 1, short.MinValue) : 4 * r));
        }
        int a = Math.Min((x + 4) >> 3, 4095);
        return G711.LinearToALaw((short)(8 * a));
    }

    // ffmpeg: 14-bit index (x >> 2), nearest reconstruction value with the boundary at (y_i + y_{i+1} + 4) >> 3.
    private static byte FfmpegModel(G711Law law, short x)
    {
        int mask = law == G711Law.MuLaw ? 0xFF : 0xD5;
        int j = x >> 2;
        int magnitude = Math.Abs(j);
        if (magnitude == 0)
            return (byte)mask;
        int i = 0;
        for (; i < 127; i++)
        {
            int v1 = Decode(law, (byte)(i ^ mask));
            int v2 = Decode(law, (byte)((i + 1) ^ mask));
            if (magnitude < ((v1 + v2 + 4) >> 3))
                break;
        }
        return (byte)(j > 0 ? i ^ mask : i ^ mask ^ 0x80);
    }

    private static short Decode(G711Law law, byte code) => law == G711Law.MuLaw ? G711.MuLawToLinear(code) : G711.ALawToLinear(code);

    private static byte[] Ours(G711Law law, short[] samples)
    {
        var codes = new byte[samples.Length];
        G711.Encode(law, samples, codes);
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
    public void Sox_encodes_a_wav_with_our_quantizer_after_its_input_rounding([Values] G711Law law, [Values] bool allInputs)
    {
        using var dir = new TempDirectory();
        var samples = allInputs ? AllSamples() : SpeechLike();
        var sox = SoxEncode(dir, samples, law);
        Assert.That(sox, Has.Length.EqualTo(samples.Length));
        var ours = Ours(law, samples);
        int differ = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.That(sox[i], Is.EqualTo(SoxModel(law, samples[i])), $"sample {i} = {samples[i]}");
            if (sox[i] != ours[i])
            {
                differ++;
                Assert.That(Math.Abs(Decode(law, sox[i]) - Decode(law, ours[i])), Is.LessThanOrEqualTo(1024), "only neighbouring codes may differ");
            }
        }
        TestContext.Out.WriteLine($"{law}: {differ} of {samples.Length} samples differ from G.191's truncating reduction");
    }

    [Test]
    public void Ffmpeg_encodes_a_wav_as_the_midpoint_quantizer_over_our_reconstruction_values([Values] G711Law law, [Values] bool allInputs)
    {
        using var dir = new TempDirectory();
        var samples = allInputs ? AllSamples() : SpeechLike();
        var ff = FfmpegEncode(dir, samples, law);
        Assert.That(ff, Has.Length.EqualTo(samples.Length));
        var ours = Ours(law, samples);
        int differ = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.That(ff[i], Is.EqualTo(FfmpegModel(law, samples[i])), $"sample {i} = {samples[i]}");
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
