namespace RtcClient.SFrame;

/// <summary>
/// SFrame cipher suites from the IANA "SFrame Cipher Suites" registry (RFC 9605 section 8.1).
/// The numeric value is the registry value, which is also mixed into key derivation.
/// </summary>
public enum SFrameCipherSuite : ushort
{
    /// <summary>AES-128 in counter mode with HMAC-SHA256, tag truncated to 80 bits.</summary>
    AES_128_CTR_HMAC_SHA256_80 = 0x0001,

    /// <summary>AES-128 in counter mode with HMAC-SHA256, tag truncated to 64 bits.</summary>
    AES_128_CTR_HMAC_SHA256_64 = 0x0002,

    /// <summary>AES-128 in counter mode with HMAC-SHA256, tag truncated to 32 bits.</summary>
    AES_128_CTR_HMAC_SHA256_32 = 0x0003,

    /// <summary>AES-128-GCM with a 128-bit tag; HKDF-SHA256.</summary>
    AES_128_GCM_SHA256_128 = 0x0004,

    /// <summary>AES-256-GCM with a 128-bit tag; HKDF-SHA512.</summary>
    AES_256_GCM_SHA512_128 = 0x0005,
}
