using System.Buffers;
using System.Text;

namespace RtcClient.Http3.Qpack;

/// <summary>String literals (RFC 9204 section 4.1.2): an H bit, an N-bit prefixed length, then raw or Huffman bytes.</summary>
internal static class QpackString
{
    /// <summary>Bytes needed to write <paramref name="value"/> with the given prefix.</summary>
    public static int GetLength(string value, int prefixBits, bool huffman, out bool useHuffman)
    {
        int huffLen = huffman ? Huffman.GetEncodedLength(value) : int.MaxValue;
        useHuffman = huffLen < value.Length;
        int len = useHuffman ? huffLen : value.Length;
        return QpackInteger.GetLength(len, prefixBits) + len;
    }

    /// <summary>
    /// Writes a string literal. The H bit is the bit just above the prefix; <paramref name="flags"/> holds the
    /// pattern bits above it. Huffman is used when it is shorter and allowed.
    /// </summary>
    public static int Encode(string value, int prefixBits, byte flags, bool huffman, Span<byte> destination)
    {
        int huffLen = huffman ? Huffman.GetEncodedLength(value) : int.MaxValue;
        if (huffLen < value.Length)
        {
            int n = QpackInteger.Encode(huffLen, prefixBits, (byte)(flags | (1 << prefixBits)), destination);
            return n + Huffman.Encode(value, destination[n..]);
        }

        int h = QpackInteger.Encode(value.Length, prefixBits, flags, destination);
        return h + Encoding.Latin1.GetBytes(value, destination[h..]);
    }

    /// <summary>
    /// Reads a string literal: bytes consumed, 0 when more input is needed. Throws <paramref name="error"/> when the
    /// length exceeds <paramref name="maxLength"/> (decoded length, the decompression-bomb bound) or the Huffman is bad.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, int prefixBits, int maxLength, Http3ErrorCode error, out string value)
        => Decode(source, prefixBits, maxLength, error, null, out value);

    /// <summary>Reads a string literal, taking the string from <paramref name="cache"/> when it holds the same bytes.</summary>
    public static int Decode(ReadOnlySpan<byte> source, int prefixBits, int maxLength, Http3ErrorCode error, QpackStringCache? cache, out string value)
    {
        value = string.Empty;
        if (source.IsEmpty)
            return 0;
        bool huffman = (source[0] & (1 << prefixBits)) != 0;
        int n = QpackInteger.Decode(source, prefixBits, out long length);
        if (n < 0 || length > maxLength && !huffman)
            throw new Http3ProtocolException(error, "string literal longer than allowed");
        if (n == 0)
            return 0;
        // A Huffman string decodes to at most 8/5 of its length; refuse what could exceed the bound before decoding.
        if (huffman && length > (long)maxLength * 8 / 5 + 1)
            throw new Http3ProtocolException(error, "Huffman string literal longer than allowed");
        if (source.Length - n < length)
            return 0;
        ReadOnlySpan<byte> bytes = source.Slice(n, (int)length);
        if (!huffman)
        {
            value = cache?.Get(bytes) ?? Encoding.Latin1.GetString(bytes);
            return n + (int)length;
        }

        int cap = Math.Min(maxLength, (int)Math.Min(int.MaxValue, length * 8 / 5 + 1));
        byte[]? rented = null;
        Span<byte> buffer = cap <= 512 ? stackalloc byte[cap] : (rented = ArrayPool<byte>.Shared.Rent(cap));
        try
        {
            int decoded = Huffman.Decode(bytes, buffer[..cap]);
            if (decoded == -2)
                throw new Http3ProtocolException(error, "Huffman string literal longer than allowed");
            if (decoded < 0)
                throw new Http3ProtocolException(error, "invalid Huffman encoding");
            value = cache?.Get(buffer[..decoded]) ?? Encoding.Latin1.GetString(buffer[..decoded]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }

        return n + (int)length;
    }
}
