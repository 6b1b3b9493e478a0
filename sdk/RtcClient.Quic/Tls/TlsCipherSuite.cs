namespace RtcClient.Quic.Tls;

/// <summary>TLS 1.3 cipher suites usable with QUIC (RFC 8446 appendix B.4, RFC 9001 section 5.3).</summary>
public enum TlsCipherSuite : ushort
{
    /// <summary>TLS_AES_128_GCM_SHA256.</summary>
    Aes128GcmSha256 = 0x1301,
    /// <summary>TLS_AES_256_GCM_SHA384.</summary>
    Aes256GcmSha384 = 0x1302,
    /// <summary>TLS_CHACHA20_POLY1305_SHA256.</summary>
    ChaCha20Poly1305Sha256 = 0x1303,
}
