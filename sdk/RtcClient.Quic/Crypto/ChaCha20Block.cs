using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// The ChaCha20 block function (RFC 8439 section 2.3), used only for ChaCha20 header protection
/// (RFC 9001 section 5.4.4), which needs raw keystream the BCL does not expose. Allocation-free; the state
/// lives in locals so the rounds run in registers.
/// </summary>
internal static class ChaCha20Block
{
    /// <summary>
    /// Writes the first <paramref name="output"/>.Length (at most 64) bytes of the keystream block for
    /// <paramref name="key"/> (32 bytes), <paramref name="counter"/> and <paramref name="nonce"/> (12 bytes).
    /// </summary>
    public static void Keystream(ReadOnlySpan<byte> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> output)
    {
        if (key.Length != 32) throw new ArgumentException("ChaCha20 keys are 32 bytes", nameof(key));
        if (nonce.Length != 12) throw new ArgumentException("ChaCha20 nonces are 12 bytes", nameof(nonce));
        if (output.Length > 64) throw new ArgumentException("one block is 64 bytes", nameof(output));

        // "expand 32-byte k", key, counter, nonce.
        const uint c0 = 0x61707865, c1 = 0x3320646e, c2 = 0x79622d32, c3 = 0x6b206574;
        uint k0 = BinaryPrimitives.ReadUInt32LittleEndian(key), k1 = BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
        uint k2 = BinaryPrimitives.ReadUInt32LittleEndian(key[8..]), k3 = BinaryPrimitives.ReadUInt32LittleEndian(key[12..]);
        uint k4 = BinaryPrimitives.ReadUInt32LittleEndian(key[16..]), k5 = BinaryPrimitives.ReadUInt32LittleEndian(key[20..]);
        uint k6 = BinaryPrimitives.ReadUInt32LittleEndian(key[24..]), k7 = BinaryPrimitives.ReadUInt32LittleEndian(key[28..]);
        uint n0 = BinaryPrimitives.ReadUInt32LittleEndian(nonce), n1 = BinaryPrimitives.ReadUInt32LittleEndian(nonce[4..]);
        uint n2 = BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]);

        uint x0 = c0, x1 = c1, x2 = c2, x3 = c3, x4 = k0, x5 = k1, x6 = k2, x7 = k3;
        uint x8 = k4, x9 = k5, x10 = k6, x11 = k7, x12 = counter, x13 = n0, x14 = n1, x15 = n2;
        for (int round = 0; round < 10; round++)
        {
            QuarterRound(ref x0, ref x4, ref x8, ref x12);
            QuarterRound(ref x1, ref x5, ref x9, ref x13);
            QuarterRound(ref x2, ref x6, ref x10, ref x14);
            QuarterRound(ref x3, ref x7, ref x11, ref x15);
            QuarterRound(ref x0, ref x5, ref x10, ref x15);
            QuarterRound(ref x1, ref x6, ref x11, ref x12);
            QuarterRound(ref x2, ref x7, ref x8, ref x13);
            QuarterRound(ref x3, ref x4, ref x9, ref x14);
        }

        Span<uint> words = stackalloc uint[16];
        words[0] = x0 + c0; words[1] = x1 + c1; words[2] = x2 + c2; words[3] = x3 + c3;
        words[4] = x4 + k0; words[5] = x5 + k1; words[6] = x6 + k2; words[7] = x7 + k3;
        words[8] = x8 + k4; words[9] = x9 + k5; words[10] = x10 + k6; words[11] = x11 + k7;
        words[12] = x12 + counter; words[13] = x13 + n0; words[14] = x14 + n1; words[15] = x15 + n2;

        Span<byte> word = stackalloc byte[4];
        for (int i = 0; i < output.Length; i += 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, words[i / 4]);
            word[..Math.Min(4, output.Length - i)].CopyTo(output[i..]);
        }

        words.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuarterRound(ref uint a, ref uint b, ref uint c, ref uint d)
    {
        a += b; d = BitOperations.RotateLeft(d ^ a, 16);
        c += d; b = BitOperations.RotateLeft(b ^ c, 12);
        a += b; d = BitOperations.RotateLeft(d ^ a, 8);
        c += d; b = BitOperations.RotateLeft(b ^ c, 7);
    }
}
