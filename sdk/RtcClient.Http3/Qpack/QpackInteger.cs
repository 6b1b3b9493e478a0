namespace RtcClient.Http3.Qpack;

/// <summary>Prefixed integers (RFC 7541 section 5.1, used by RFC 9204 section 4.1.1).</summary>
internal static class QpackInteger
{
    /// <summary>Values above this are refused, so a hostile peer cannot overflow the arithmetic.</summary>
    public const long MaxValue = (1L << 62) - 1;

    /// <summary>Bytes needed to encode <paramref name="value"/> with an N-bit prefix.</summary>
    public static int GetLength(long value, int prefixBits)
    {
        long max = (1L << prefixBits) - 1;
        if (value < max)
            return 1;
        value -= max;
        int n = 2;
        while (value >= 128)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Writes the integer; <paramref name="firstByteFlags"/> fills the bits above the prefix.</summary>
    public static int Encode(long value, int prefixBits, byte firstByteFlags, Span<byte> destination)
    {
        long max = (1L << prefixBits) - 1;
        if (value < max)
        {
            destination[0] = (byte)(firstByteFlags | value);
            return 1;
        }

        destination[0] = (byte)(firstByteFlags | max);
        value -= max;
        int i = 1;
        while (value >= 128)
        {
            destination[i++] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads an integer: bytes consumed, 0 when more input is needed, -1 when it is too large.</summary>
    public static int Decode(ReadOnlySpan<byte> source, int prefixBits, out long value)
    {
        value = 0;
        if (source.IsEmpty)
            return 0;
        long max = (1L << prefixBits) - 1;
        value = source[0] & max;
        if (value < max)
            return 1;
        int shift = 0;
        for (int i = 1; i < source.Length; i++)
        {
            byte b = source[i];
            if (shift > 56)
                return -1;
            value += (long)(b & 0x7F) << shift;
            if (value > MaxValue || value < 0)
                return -1;
            if ((b & 0x80) == 0)
                return i + 1;
            shift += 7;
        }

        return 0;
    }
}
