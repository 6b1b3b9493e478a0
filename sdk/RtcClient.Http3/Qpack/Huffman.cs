namespace RtcClient.Http3.Qpack;

/// <summary>
/// The HPACK/QPACK Huffman code (RFC 7541 Appendix B). The code is canonical, so it is rebuilt from the
/// code lengths alone: codes of one length are consecutive in symbol order.
/// </summary>
internal static class Huffman
{
    private const int Eos = 256;
    private const int MaxLength = 30;

    // Code length of each symbol 0..255 and EOS (256), RFC 7541 Appendix B.
    private static ReadOnlySpan<byte> Lengths =>
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    ];

    private static readonly uint[] s_codes = new uint[257];
    // Canonical decoding: for each length, the first code and where its symbols start in s_sorted.
    private static readonly uint[] s_firstCode = new uint[MaxLength + 2];
    private static readonly int[] s_count = new int[MaxLength + 2];
    private static readonly int[] s_offset = new int[MaxLength + 2];
    private static readonly short[] s_sorted = new short[257];

#pragma warning disable CA1810 // the tables are computed together
    static Huffman()
#pragma warning restore CA1810
    {
        ReadOnlySpan<byte> lengths = Lengths;
        for (int s = 0; s < 257; s++)
            s_count[lengths[s]]++;
        uint code = 0;
        int offset = 0;
        for (int len = 1; len <= MaxLength; len++)
        {
            s_firstCode[len] = code;
            s_offset[len] = offset;
            code = (code + (uint)s_count[len]) << 1;
            offset += s_count[len];
        }

        var next = new int[MaxLength + 1];
        for (int s = 0; s < 257; s++)
        {
            int len = lengths[s];
            int k = next[len]++;
            s_codes[s] = s_firstCode[len] + (uint)k;
            s_sorted[s_offset[len] + k] = (short)s;
        }
    }

    /// <summary>The code and its length in bits for a symbol (0..256), right-aligned.</summary>
    public static (uint Code, int Length) GetCode(int symbol) => (s_codes[symbol], Lengths[symbol]);

    /// <summary>Bytes needed to Huffman-encode <paramref name="source"/> (padding included).</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        long bits = 0;
        ReadOnlySpan<byte> lengths = Lengths;
        foreach (byte b in source)
            bits += lengths[b];
        return (int)((bits + 7) >> 3);
    }

    /// <summary>Bytes needed to Huffman-encode a Latin-1 string.</summary>
    public static int GetEncodedLength(string source)
    {
        long bits = 0;
        ReadOnlySpan<byte> lengths = Lengths;
        foreach (char c in source)
            bits += lengths[(byte)c];
        return (int)((bits + 7) >> 3);
    }

    /// <summary>Encodes a Latin-1 string; <paramref name="destination"/> must hold <see cref="GetEncodedLength(string)"/> bytes.</summary>
    public static int Encode(string source, Span<byte> destination)
    {
        ulong acc = 0;
        int bits = 0;
        int written = 0;
        ReadOnlySpan<byte> lengths = Lengths;
        foreach (char c in source)
        {
            int len = lengths[(byte)c];
            acc = (acc << len) | s_codes[(byte)c];
            bits += len;
            while (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(acc >> bits);
            }
        }

        if (bits > 0)
        {
            // Pad with the most significant bits of EOS (all ones).
            int pad = 8 - bits;
            destination[written++] = (byte)((acc << pad) | ((1u << pad) - 1));
        }

        return written;
    }

    /// <summary>
    /// Decodes into <paramref name="destination"/>; returns the decoded length, or -1 when the input is not
    /// valid (EOS inside, padding longer than 7 bits or not all ones) and -2 when the destination is too small.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong acc = 0;
        int bits = 0;
        int written = 0;
        int i = 0;
        while (true)
        {
            while (bits <= 56 && i < source.Length)
            {
                acc = (acc << 8) | source[i++];
                bits += 8;
            }

            if (bits == 0)
                return written;

            int symbol = -1;
            int len = 5;
            for (; len <= MaxLength && len <= bits; len++)
            {
                uint code = (uint)(acc >> (bits - len)) & (uint)((1UL << len) - 1);
                uint delta = code - s_firstCode[len];
                if (s_count[len] > 0 && code >= s_firstCode[len] && delta < (uint)s_count[len])
                {
                    symbol = s_sorted[s_offset[len] + (int)delta];
                    break;
                }
            }

            if (symbol < 0)
            {
                // Only the EOS prefix may remain: at most 7 bits, all ones.
                if (i < source.Length || bits > 7)
                    return -1;
                ulong mask = (1UL << bits) - 1;
                return (acc & mask) == mask ? written : -1;
            }

            if (symbol == Eos)
                return -1;
            if (written >= destination.Length)
                return -2;
            destination[written++] = (byte)symbol;
            bits -= len;
            acc &= bits == 0 ? 0 : (1UL << bits) - 1;
        }
    }
}
