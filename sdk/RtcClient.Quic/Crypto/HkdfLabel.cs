using System.Security.Cryptography;
using System.Text;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// HKDF-Expand-Label of TLS 1.3 (RFC 8446 section 7.1), shared by the TLS key schedule and QUIC's
/// packet protection keys (RFC 9001 section 5.1). The "tls13 " prefix is added here.
/// </summary>
internal static class HkdfLabel
{
    private static ReadOnlySpan<byte> Prefix => "tls13 "u8;

    /// <summary>
    /// Writes HKDF-Expand(secret, HkdfLabel{length, "tls13 " + label, context}, output.Length) into
    /// <paramref name="output"/>. Allocation-free for labels and contexts up to 255 bytes.
    /// </summary>
    public static void Expand(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        if (output.Length > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(output));
        if (Prefix.Length + label.Length > 255 || context.Length > 255) throw new ArgumentOutOfRangeException(nameof(label));
        Span<byte> info = stackalloc byte[2 + 1 + 255 + 1 + 255];
        int n = 0;
        info[n++] = (byte)(output.Length >> 8);
        info[n++] = (byte)output.Length;
        info[n++] = (byte)(Prefix.Length + label.Length);
        Prefix.CopyTo(info[n..]);
        n += Prefix.Length;
        label.CopyTo(info[n..]);
        n += label.Length;
        info[n++] = (byte)context.Length;
        context.CopyTo(info[n..]);
        n += context.Length;
        HKDF.Expand(hash, secret, output, info[..n]);
    }

    /// <summary>Convenience overload for a label given as a string (cold paths only: it allocates).</summary>
    public static byte[] Expand(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        var output = new byte[length];
        Expand(hash, secret, Encoding.ASCII.GetBytes(label), context, output);
        return output;
    }
}
