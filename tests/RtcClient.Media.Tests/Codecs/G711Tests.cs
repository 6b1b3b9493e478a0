using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.Codecs;

/// <summary>
/// G.711 against the standard's quantizer description: decision levels and reconstruction values
/// built here from G.711 Tables 1a/2a (segment widths doubling, 16 steps per segment), independent of
/// the shift arithmetic in <see cref="G711"/>. 16-bit input is reduced as the ITU-T G.191 software does.
/// </summary>
public class G711Tests
{
    // µ-law decision levels in 14-bit magnitude units: first interval [0,1), then 15 of width 2, then
    // 16 each of width 4, 8, ..., 256 (Table 2a). Index of the interval = 7-bit magnitude code.
    private static int[] MuLawDecisionLevels()
    {
        var levels = new List<int> { 1 };
        int width = 2;
        for (int seg = 0; seg < 8; seg++, width *= 2)
            for (int k = seg == 0 ? 1 : 0; k < 16; k++)
                levels.Add(levels[^1] + width);
        return [.. levels]; // 128 upper bounds; the last is 8159
    }

    // A-law decision levels in 12-bit magnitude units: 32 intervals of width 1, then 16 each of width 2..64 (Table 1a).
    private static int[] ALawDecisionLevels()
    {
        var levels = new List<int>();
        int upper = 0;
        for (int k = 0; k < 32; k++)
            levels.Add(++upper);
        int width = 2;
        for (int seg = 2; seg < 8; seg++, width *= 2)
            for (int k = 0; k < 16; k++)
                levels.Add(upper += width);
        return [.. levels]; // last is 2048
    }

    private static int IntervalOf(int[] upperBounds, int magnitude)
    {
        for (int i = 0; i < upperBounds.Length; i++)
            if (magnitude < upperBounds[i])
                return i;
        return upperBounds.Length - 1; // overload: the outermost code
    }

    [Test]
    public void MuLaw_all_65536_inputs_encode_to_the_interval_the_tables_give()
    {
        var levels = MuLawDecisionLevels();
        Assert.That(levels[^1], Is.EqualTo(8159));
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int magnitude = (x < 0 ? -x - 1 : x) >> 2;
            int interval = IntervalOf(levels, magnitude);
            // Code = sign bit (1 for positive) then the inverted 7-bit interval index.
            byte expected = (byte)((x >= 0 ? 0x80 : 0) | (0x7F - interval));
            Assert.That(G711.LinearToMuLaw((short)x), Is.EqualTo(expected), $"x={x}");
        }
    }

    [Test]
    public void ALaw_all_65536_inputs_encode_to_the_interval_the_tables_give()
    {
        var levels = ALawDecisionLevels();
        Assert.That(levels[^1], Is.EqualTo(2048));
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int magnitude = (x < 0 ? -x - 1 : x) >> 4;
            int interval = IntervalOf(levels, magnitude);
            // Code = sign bit (1 for positive) and the interval index, even bits inverted (XOR 0x55).
            byte expected = (byte)(((x >= 0 ? 0x80 : 0) | interval) ^ 0x55);
            Assert.That(G711.LinearToALaw((short)x), Is.EqualTo(expected), $"x={x}");
        }
    }

    [Test]
    public void MuLaw_all_256_codes_decode_to_the_interval_midpoints()
    {
        var levels = MuLawDecisionLevels();
        for (int code = 0; code < 256; code++)
        {
            int interval = 0x7F - (code & 0x7F);
            int lower = interval == 0 ? 0 : levels[interval - 1];
            int mid = interval == 0 ? 0 : (lower + levels[interval]) / 2;
            int expected = ((code & 0x80) != 0 ? 1 : -1) * mid * 4;
            Assert.That(G711.MuLawToLinear((byte)code), Is.EqualTo(expected), $"code={code:X2}");
        }
        Assert.That(G711.MuLawToLinear(0x00), Is.EqualTo(-32124));
        Assert.That(G711.MuLawToLinear(0x80), Is.EqualTo(32124));
        Assert.That(G711.MuLawToLinear(0xFF), Is.Zero);
        Assert.That(G711.MuLawToLinear(0x7F), Is.Zero);
    }

    [Test]
    public void ALaw_all_256_codes_decode_to_the_interval_midpoints()
    {
        var levels = ALawDecisionLevels();
        for (int code = 0; code < 256; code++)
        {
            int c = code ^ 0x55;
            int interval = c & 0x7F;
            int lower = interval == 0 ? 0 : levels[interval - 1];
            // Midpoint at 16-bit scale: (lower + upper) / 2 * 16.
            int expected = ((c & 0x80) != 0 ? 1 : -1) * (lower + levels[interval]) * 8;
            Assert.That(G711.ALawToLinear((byte)code), Is.EqualTo(expected), $"code={code:X2}");
        }
        Assert.That(G711.ALawToLinear(0xD5), Is.EqualTo(8));
        Assert.That(G711.ALawToLinear(0xAA), Is.EqualTo(32256));
    }

    [Test]
    public void Decoding_then_encoding_returns_every_code([Values] G711Law law)
    {
        var codes = new byte[256];
        for (int i = 0; i < 256; i++)
            codes[i] = (byte)i;
        var pcm = new short[256];
        var again = new byte[256];
        G711.Decode(law, codes, pcm);
        G711.Encode(law, pcm, again);
        for (int i = 0; i < 256; i++)
        {
            // µ-law has two zero codes (0x7F = -0, 0xFF = +0); both decode to 0, which encodes as +0.
            byte expected = law == G711Law.MuLaw && i == 0x7F ? (byte)0xFF : (byte)i;
            Assert.That(again[i], Is.EqualTo(expected), $"code {i:X2}");
        }
    }

    [Test]
    public void Encoder_and_decoder_frame_round_trip_is_close_to_the_input([Values] G711Law law)
    {
        using var enc = new G711Encoder(law);
        using var dec = new G711Decoder(law);
        var pcm = new short[160];
        for (int i = 0; i < pcm.Length; i++)
            pcm[i] = (short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0));
        var payload = new byte[160];
        Assert.That(enc.Encode(pcm, payload), Is.EqualTo(160));
        var back = new short[160];
        Assert.That(dec.Decode(payload, back), Is.EqualTo(160));
        for (int i = 0; i < pcm.Length; i++)
            Assert.That(Math.Abs(back[i] - pcm[i]), Is.LessThanOrEqualTo(Math.Abs(pcm[i]) / 16 + 16), $"sample {i}");
        Assert.That(enc.Info.PayloadType, Is.EqualTo(law == G711Law.MuLaw ? 0 : 8));
        Assert.That(dec.DecodeFromNext(payload, back, 160), Is.Zero);
    }
}
