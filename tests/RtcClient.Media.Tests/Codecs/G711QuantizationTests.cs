using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.Codecs;

/// <summary>
/// The non-default G.711 quantizations: each stays within one step of the ITU one, reconstruction
/// values encode to themselves, and the nearest-level choice really is the least-error code.
/// Bit-identity with sox and ffmpeg is in <see cref="G711InteropTests"/>.
/// </summary>
public class G711QuantizationTests
{
    private static short Decode(G711Law law, byte code) => law == G711Law.MuLaw ? G711.MuLawToLinear(code) : G711.ALawToLinear(code);

    [Test]
    public void Every_quantization_differs_from_the_itu_one_by_at_most_one_step(
        [Values] G711Law law, [Values(G711Quantization.RoundedInput, G711Quantization.NearestLevel)] G711Quantization quantization)
    {
        int differ = 0;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            byte itu = G711.Encode(law, G711Quantization.Itu, (short)x);
            byte other = G711.Encode(law, quantization, (short)x);
            if (itu == other)
                continue;
            differ++;
            int a = Decode(law, itu), b = Decode(law, other);
            // Neighbouring codes: no reconstruction value lies strictly between the two.
            for (int c = 0; c < 256; c++)
            {
                int v = Decode(law, (byte)c);
                Assert.That(v > Math.Min(a, b) && v < Math.Max(a, b), Is.False, $"x={x}: {itu:X2} and {other:X2} are not neighbours");
            }
        }
        // The counts measured against sox and ffmpeg (docs/media-codecs.md).
        int expected = quantization == G711Quantization.NearestLevel ? 964 : law == G711Law.MuLaw ? 510 : 1020;
        Assert.That(differ, Is.EqualTo(expected));
    }

    [Test]
    public void Reconstruction_values_encode_to_their_own_code([Values] G711Law law, [Values] G711Quantization quantization)
    {
        for (int code = 0; code < 256; code++)
        {
            short value = Decode(law, (byte)code);
            byte again = G711.Encode(law, quantization, value);
            Assert.That(Decode(law, again), Is.EqualTo(value), $"code {code:X2} ({value}) came back as {again:X2}");
        }
    }

    [Test]
    public void Nearest_level_picks_the_code_with_the_least_error_at_14_bit_resolution([Values] G711Law law)
    {
        var values = new int[256];
        for (int c = 0; c < 256; c++)
            values[c] = Decode(law, (byte)c);
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int input = (x >> 2) * 4;
            int chosen = Math.Abs(Decode(law, G711.Encode(law, G711Quantization.NearestLevel, (short)x)) - input);
            int best = int.MaxValue;
            foreach (int v in values)
                best = Math.Min(best, Math.Abs(v - input));
            // Midpoints are rounded to 14-bit units, so a tie can go either way by that much.
            Assert.That(chosen, Is.LessThanOrEqualTo(best + 4), $"x={x}");
        }
    }

    [Test]
    public void An_unknown_quantization_is_refused()
    {
        Assert.That(() => new G711Encoder(G711Law.MuLaw, (G711Quantization)42), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => G711.Encode(G711Law.ALaw, (G711Quantization)42, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
