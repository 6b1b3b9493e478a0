using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// AEAD usage limits (RFC 9001 section 6.6): how many packets one key may protect (confidentiality)
/// and how many failed decryptions one key may see (integrity) before the connection must update keys
/// or close with AEAD_LIMIT_REACHED. Counted per key phase by the connection.
/// </summary>
public static class AeadLimits
{
    /// <summary>Confidentiality limit of AEAD_AES_128_GCM and AEAD_AES_256_GCM: 2^23 packets.</summary>
    public const long AesGcmConfidentialityLimit = 1L << 23;

    /// <summary>Integrity limit of AEAD_AES_128_GCM and AEAD_AES_256_GCM: 2^52 forged packets.</summary>
    public const long AesGcmIntegrityLimit = 1L << 52;

    /// <summary>
    /// Confidentiality limit of AEAD_CHACHA20_POLY1305: larger than the packet number space, so it is
    /// never reached; reported as <see cref="long.MaxValue"/>.
    /// </summary>
    public const long ChaCha20ConfidentialityLimit = long.MaxValue;

    /// <summary>Integrity limit of AEAD_CHACHA20_POLY1305: 2^36 forged packets.</summary>
    public const long ChaCha20IntegrityLimit = 1L << 36;

    /// <summary>Packets that may be protected with one key of <paramref name="suite"/>.</summary>
    public static long GetConfidentialityLimit(TlsCipherSuite suite)
        => suite == TlsCipherSuite.ChaCha20Poly1305Sha256 ? ChaCha20ConfidentialityLimit : AesGcmConfidentialityLimit;

    /// <summary>Packets that may fail authentication with one key of <paramref name="suite"/> (across all key phases for the connection).</summary>
    public static long GetIntegrityLimit(TlsCipherSuite suite)
        => suite == TlsCipherSuite.ChaCha20Poly1305Sha256 ? ChaCha20IntegrityLimit : AesGcmIntegrityLimit;
}
