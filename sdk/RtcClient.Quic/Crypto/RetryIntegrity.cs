using System.Security.Cryptography;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// The Retry Integrity Tag (RFC 9001 section 5.8): AEAD_AES_128_GCM with the fixed QUIC v1 key and nonce
/// over the Retry pseudo-packet (original Destination Connection ID length and value, then the Retry
/// packet without its tag). Proves the Retry came from an on-path entity that saw the client's Initial.
/// </summary>
internal static class RetryIntegrity
{
    /// <summary>Length of the Retry Integrity Tag.</summary>
    public const int TagLength = 16;

    private static ReadOnlySpan<byte> KeyV1 => [0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e];

    private static ReadOnlySpan<byte> NonceV1 => [0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb];

    // Retry is sent rarely; one shared instance behind a lock keeps this allocation-free after first use.
    private static readonly Lock Sync = new();
    private static AesGcm? s_aead;

    /// <summary>
    /// Computes the tag for <paramref name="retryWithoutTag"/> (the Retry packet up to, not including,
    /// the tag) sent in response to an Initial whose Destination Connection ID was
    /// <paramref name="originalDestinationConnectionId"/>.
    /// </summary>
    public static void ComputeTag(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryWithoutTag, Span<byte> tag)
    {
        if (originalDestinationConnectionId.Length > 255) throw new ArgumentException("connection IDs are at most 255 bytes", nameof(originalDestinationConnectionId));
        if (tag.Length != TagLength) throw new ArgumentException("the tag is 16 bytes", nameof(tag));

        int pseudoLength = 1 + originalDestinationConnectionId.Length + retryWithoutTag.Length;
        Span<byte> pseudo = pseudoLength <= 512 ? stackalloc byte[512] : new byte[pseudoLength];
        pseudo = pseudo[..pseudoLength];
        pseudo[0] = (byte)originalDestinationConnectionId.Length;
        originalDestinationConnectionId.CopyTo(pseudo[1..]);
        retryWithoutTag.CopyTo(pseudo[(1 + originalDestinationConnectionId.Length)..]);

        lock (Sync)
        {
            s_aead ??= new AesGcm(KeyV1, TagLength);
            s_aead.Encrypt(NonceV1, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, pseudo);
        }
    }

    /// <summary>
    /// True when the last 16 bytes of <paramref name="retryPacket"/> are the correct tag for it
    /// (compared in constant time).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryPacket)
    {
        if (retryPacket.Length < TagLength || originalDestinationConnectionId.Length > 255) return false;
        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(originalDestinationConnectionId, retryPacket[..^TagLength], expected);
        return CryptographicOperations.FixedTimeEquals(expected, retryPacket[^TagLength..]);
    }
}
