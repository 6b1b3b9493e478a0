using System.Buffers.Binary;
using System.Numerics;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// The ChaCha20 block function (RFC 8439 section 2.3), used only for ChaCha20 header protection
/// (RFC 9001 section 5.4.4), which needs raw keystream the BCL does not expose. Allocation-free.
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

        Span<uint> initial = stackalloc uint[16];
        initial[0] = 0x61707865; // "expand 32-byte k"
        initial[1] = 0x3320646e;
        initial[2] = 0x79622d32;
        initial[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) initial[4 + i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        initial[12] = counter;
        for (int i = 0; i < 3; i++) initial[13 + i] = BinaryPrimitives.ReadUInt32LittleEndian(nonce[(4 * i)..]);

        Span<uint> x = stackalloc uint[16];
        initial.CopyTo(x);
        for (int round = 0; round < 10; round++)
        {
            QuarterRound(x, 0, 4, 8, 12);
            QuarterRound(x, 1, 5, 9, 13);
            QuarterRound(x, 2, 6, 10, 14);
            QuarterRound(x, 3, 7, 11, 15);
            QuarterRound(x, 0, 5, 10, 15);
            QuarterRound(x, 1, 6, 11, 12);
            QuarterRound(x, 2, 7, 8, 13);
            QuarterRound(x, 3, 4, 9, 14);
        }

        Span<byte> block = stackalloc byte[64];
        for (int i = 0; i < 16; i++) BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * i)..], x[i] + initial[i]);
        block[..output.Length].CopyTo(output);
        block.Clear();
        x.Clear();
        initial.Clear();
    }

    private static void QuarterRound(Span<uint> x, int a, int b, int c, int d)
    {
        x[a] += x[b]; x[d] = BitOperations.RotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d]; x[b] = BitOperations.RotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b]; x[d] = BitOperations.RotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d]; x[b] = BitOperations.RotateLeft(x[b] ^ x[c], 7);
    }
}
