namespace RtcClient.Media.Codecs;

/// <summary>
/// ITU-T G.711 companding, table-driven and allocation-free. The 16-bit to 14-bit (µ-law) / 13-bit
/// (A-law) reduction follows the ITU-T G.191 reference (one's complement magnitude for negative
/// samples, truncation of the low bits), so every one of the 65536 inputs maps to the code the ITU
/// software gives; decoding returns the G.711 reconstruction values scaled to 16 bits.
/// </summary>
public static class G711
{
    // Encode tables are indexed by the 16-bit sample reinterpreted as ushort.
    private static readonly byte[] MuEncode = new byte[65536];
    private static readonly byte[] AEncode = new byte[65536];
    private static readonly short[] MuDecode = new short[256];
    private static readonly short[] ADecode = new short[256];

    static G711()
    {
        for (int i = 0; i < 65536; i++)
        {
            short x = (short)i;
            MuEncode[i] = ComputeMuLaw(x);
            AEncode[i] = ComputeALaw(x);
        }
        for (int c = 0; c < 256; c++)
        {
            MuDecode[c] = ComputeMuLawDecode((byte)c);
            ADecode[c] = ComputeALawDecode((byte)c);
        }
    }

    /// <summary>Encodes one sample to µ-law.</summary>
    public static byte LinearToMuLaw(short sample) => MuEncode[(ushort)sample];

    /// <summary>Encodes one sample to A-law.</summary>
    public static byte LinearToALaw(short sample) => AEncode[(ushort)sample];

    /// <summary>Decodes one µ-law code.</summary>
    public static short MuLawToLinear(byte code) => MuDecode[code];

    /// <summary>Decodes one A-law code.</summary>
    public static short ALawToLinear(byte code) => ADecode[code];

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="codes"/> (same length or longer).</summary>
    public static void Encode(G711Law law, ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        if (codes.Length < pcm.Length)
            throw new ArgumentException("output shorter than input", nameof(codes));
        var table = law == G711Law.MuLaw ? MuEncode : AEncode;
        for (int i = 0; i < pcm.Length; i++)
            codes[i] = table[(ushort)pcm[i]];
    }

    /// <summary>Decodes <paramref name="codes"/> into <paramref name="pcm"/> (same length or longer).</summary>
    public static void Decode(G711Law law, ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        if (pcm.Length < codes.Length)
            throw new ArgumentException("output shorter than input", nameof(pcm));
        var table = law == G711Law.MuLaw ? MuDecode : ADecode;
        for (int i = 0; i < codes.Length; i++)
            pcm[i] = table[codes[i]];
    }

    // µ-law: 14-bit magnitude plus the bias 33 puts segment s at [32·2^s, 64·2^s); 4 mantissa bits below the leading one.
    private static byte ComputeMuLaw(short x)
    {
        int magnitude = (x < 0 ? ~x : x) >> 2;
        int biased = Math.Min(magnitude + 33, 0x1FFF);
        int segment = 31 - int.LeadingZeroCount(biased) - 5;
        int mantissa = (biased >> (segment + 1)) & 0x0F;
        int code = (segment << 4) | mantissa;
        return (byte)((x < 0 ? 0x7F : 0xFF) ^ code);
    }

    private static short ComputeMuLawDecode(byte code)
    {
        int c = ~code & 0xFF;
        int segment = (c >> 4) & 0x07;
        int mantissa = c & 0x0F;
        // Midpoint of the decision interval in biased units, minus the bias, at 16-bit scale.
        int value = ((((mantissa << 1) + 33) << segment) - 33) << 2;
        return (short)((c & 0x80) != 0 ? -value : value);
    }

    // A-law: 12-bit magnitude; segments 0 and 1 are linear with step 1, segment s ≥ 1 covers [16·2^s, 32·2^s).
    private static byte ComputeALaw(short x)
    {
        int magnitude = (x < 0 ? ~x : x) >> 4;
        int code;
        if (magnitude < 32)
        {
            code = magnitude;
        }
        else
        {
            int segment = 31 - int.LeadingZeroCount(magnitude) - 3;
            code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0F);
        }
        if (x >= 0)
            code |= 0x80;
        return (byte)(code ^ 0x55);
    }

    private static short ComputeALawDecode(byte code)
    {
        int c = code ^ 0x55;
        int segment = (c >> 4) & 0x07;
        int mantissa = c & 0x0F;
        int value = segment == 0
            ? (mantissa << 4) + 8
            : (((mantissa + 16) << 4) + 8) << (segment - 1);
        return (short)((c & 0x80) != 0 ? value : -value);
    }
}
