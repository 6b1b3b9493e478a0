namespace RtcClient.Media.Codecs;

/// <summary>
/// ITU-T G.711 companding, table-driven and allocation-free. The 16-bit to 14-bit (µ-law) / 13-bit
/// (A-law) reduction follows the ITU-T G.191 reference (one's complement magnitude for negative
/// samples, truncation of the low bits), so every one of the 65536 inputs maps to the code the ITU
/// software gives; decoding returns the G.711 reconstruction values scaled to 16 bits. The other
/// <see cref="G711Quantization"/> choices reproduce what sox and ffmpeg encode.
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

    // The non-default quantizations are built on first use: most processes never need them.
    private static readonly Lazy<byte[]> MuRounded = new(() => BuildTable(x => RoundedInputCode(G711Law.MuLaw, x)));
    private static readonly Lazy<byte[]> ARounded = new(() => BuildTable(x => RoundedInputCode(G711Law.ALaw, x)));
    private static readonly Lazy<byte[]> MuNearest = new(() => BuildNearestLevelTable(G711Law.MuLaw));
    private static readonly Lazy<byte[]> ANearest = new(() => BuildNearestLevelTable(G711Law.ALaw));

    /// <summary>Encodes one sample to µ-law.</summary>
    public static byte LinearToMuLaw(short sample) => MuEncode[(ushort)sample];

    /// <summary>Encodes one sample to A-law.</summary>
    public static byte LinearToALaw(short sample) => AEncode[(ushort)sample];

    /// <summary>Encodes one sample with the given law and quantization.</summary>
    public static byte Encode(G711Law law, G711Quantization quantization, short sample) => EncodeTable(law, quantization)[(ushort)sample];

    /// <summary>Decodes one µ-law code.</summary>
    public static short MuLawToLinear(byte code) => MuDecode[code];

    /// <summary>Decodes one A-law code.</summary>
    public static short ALawToLinear(byte code) => ADecode[code];

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="codes"/> (same length or longer).</summary>
    public static void Encode(G711Law law, ReadOnlySpan<short> pcm, Span<byte> codes) => Encode(law, G711Quantization.Itu, pcm, codes);

    /// <summary>
    /// Encodes <paramref name="pcm"/> into <paramref name="codes"/> (same length or longer) with the given
    /// <paramref name="quantization"/>.
    /// </summary>
    public static void Encode(G711Law law, G711Quantization quantization, ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        if (codes.Length < pcm.Length)
            throw new ArgumentException("output shorter than input", nameof(codes));
        var table = EncodeTable(law, quantization);
        for (int i = 0; i < pcm.Length; i++)
            codes[i] = table[(ushort)pcm[i]];
    }

    private static byte[] EncodeTable(G711Law law, G711Quantization quantization) => (law, quantization) switch
    {
        (G711Law.MuLaw, G711Quantization.Itu) => MuEncode,
        (G711Law.ALaw, G711Quantization.Itu) => AEncode,
        (G711Law.MuLaw, G711Quantization.RoundedInput) => MuRounded.Value,
        (G711Law.ALaw, G711Quantization.RoundedInput) => ARounded.Value,
        (G711Law.MuLaw, G711Quantization.NearestLevel) => MuNearest.Value,
        (G711Law.ALaw, G711Quantization.NearestLevel) => ANearest.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(quantization), quantization, "unknown G.711 quantization"),
    };

    private static byte[] BuildTable(Func<short, byte> encode)
    {
        var table = new byte[65536];
        for (int i = 0; i < table.Length; i++)
            table[i] = encode((short)i);
        return table;
    }

    // Round half up to 14 (µ) / 13 (A) bits, clip at the top, then the G.711 quantizer on the rounded
    // value. A negative rounded µ-law value r has magnitude -r, which G.191's one's complement reading
    // of the 16-bit word 4r - 1 gives.
    private static byte RoundedInputCode(G711Law law, short x)
    {
        if (law == G711Law.MuLaw)
        {
            int r = Math.Min((x + 2) >> 2, 8191);
            int word = r < 0 ? Math.Max(4 * r - 1, short.MinValue) : 4 * r;
            return ComputeMuLaw((short)word);
        }
        int a = Math.Min((x + 4) >> 3, 4095);
        return ComputeALaw((short)(8 * a));
    }

    // Nearest reconstruction value for the 14-bit input x >> 2 (floor), comparing magnitudes with the
    // midpoint of two neighbouring reconstruction values rounded to 14-bit units.
    private static byte[] BuildNearestLevelTable(G711Law law)
    {
        int signMask = law == G711Law.MuLaw ? 0xFF : 0xD5;
        // Positive reconstruction values in code order (magnitude index 0..127), at 16-bit scale.
        Span<int> level = stackalloc int[128];
        for (int i = 0; i < 128; i++)
            level[i] = law == G711Law.MuLaw ? MuDecode[i ^ signMask] : ADecode[i ^ signMask];
        // indexOf[m] = magnitude index chosen for 14-bit magnitude m (0..8192).
        var indexOf = new byte[8193];
        int index = 0;
        for (int m = 0; m <= 8192; m++)
        {
            while (index < 127 && m >= ((level[index] + level[index + 1] + 4) >> 3))
                index++;
            indexOf[m] = (byte)index;
        }
        var table = new byte[65536];
        for (int i = 0; i < table.Length; i++)
        {
            int j = (short)i >> 2;
            int code = indexOf[Math.Abs(j)] ^ signMask;
            table[i] = (byte)(j < 0 ? code ^ 0x80 : code);
        }
        return table;
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
