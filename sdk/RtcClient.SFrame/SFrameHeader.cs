using System.Numerics;

namespace RtcClient.SFrame;

/// <summary>
/// The SFrame header (RFC 9605 section 4.3): a config byte <c>|X|K K K|Y|C C C|</c> followed by
/// the KID and CTR in minimal big-endian form when they do not fit in three bits.
/// </summary>
/// <param name="KeyId">The key identifier (KID).</param>
/// <param name="Counter">The counter (CTR) that, XORed into the salt, forms the nonce.</param>
public readonly record struct SFrameHeader(ulong KeyId, ulong Counter)
{
    /// <summary>Largest encoded header: config byte, 8-byte KID, 8-byte CTR.</summary>
    public const int MaxLength = 17;

    private const byte ExtendedKeyIdFlag = 0x80;
    private const byte ExtendedCounterFlag = 0x08;

    /// <summary>Number of bytes <see cref="TryEncode"/> writes for this header.</summary>
    public int EncodedLength => 1 + ExtendedLength(KeyId) + ExtendedLength(Counter);

    /// <summary>Writes the header in its minimal encoding.</summary>
    /// <returns><see langword="false"/> (nothing written) when the destination is too small.</returns>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        int kidLength = ExtendedLength(KeyId);
        int ctrLength = ExtendedLength(Counter);
        int length = 1 + kidLength + ctrLength;
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        byte config = 0;
        config |= kidLength == 0 ? (byte)(KeyId << 4) : (byte)(ExtendedKeyIdFlag | ((kidLength - 1) << 4));
        config |= ctrLength == 0 ? (byte)Counter : (byte)(ExtendedCounterFlag | (ctrLength - 1));
        destination[0] = config;
        WriteBigEndian(KeyId, destination.Slice(1, kidLength));
        WriteBigEndian(Counter, destination.Slice(1 + kidLength, ctrLength));
        bytesWritten = length;
        return true;
    }

    /// <summary>
    /// Decodes a header from the start of untrusted input. Never throws; rejects truncated input
    /// and non-minimal encodings.
    /// </summary>
    /// <param name="source">The SFrame ciphertext (or any bytes).</param>
    /// <param name="header">The decoded KID and CTR when the result is <see cref="SFrameHeaderStatus.Valid"/>.</param>
    /// <param name="bytesConsumed">Length of the header when valid, otherwise 0.</param>
    public static SFrameHeaderStatus TryDecode(ReadOnlySpan<byte> source, out SFrameHeader header, out int bytesConsumed)
    {
        header = default;
        bytesConsumed = 0;
        if (source.IsEmpty)
        {
            return SFrameHeaderStatus.Truncated;
        }

        byte config = source[0];
        int offset = 1;
        var status = ReadField(source, ref offset, (config & ExtendedKeyIdFlag) != 0, (config >> 4) & 0x7, out ulong keyId);
        if (status != SFrameHeaderStatus.Valid)
        {
            return status;
        }

        status = ReadField(source, ref offset, (config & ExtendedCounterFlag) != 0, config & 0x7, out ulong counter);
        if (status != SFrameHeaderStatus.Valid)
        {
            return status;
        }

        header = new SFrameHeader(keyId, counter);
        bytesConsumed = offset;
        return SFrameHeaderStatus.Valid;
    }

    private static SFrameHeaderStatus ReadField(ReadOnlySpan<byte> source, ref int offset, bool extended, int bits, out ulong value)
    {
        if (!extended)
        {
            value = (ulong)bits;
            return SFrameHeaderStatus.Valid;
        }

        int length = bits + 1;
        value = 0;
        if (source.Length - offset < length)
        {
            return SFrameHeaderStatus.Truncated;
        }

        var field = source.Slice(offset, length);
        foreach (byte b in field)
        {
            value = (value << 8) | b;
        }

        // Minimal encoding: values 0-7 live in the config byte, and no leading zero bytes.
        if (value < 8 || field[0] == 0)
        {
            value = 0;
            return SFrameHeaderStatus.NonMinimalEncoding;
        }

        offset += length;
        return SFrameHeaderStatus.Valid;
    }

    private static int ExtendedLength(ulong value) =>
        value < 8 ? 0 : (64 - BitOperations.LeadingZeroCount(value) + 7) / 8;

    private static void WriteBigEndian(ulong value, Span<byte> destination)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }
}
