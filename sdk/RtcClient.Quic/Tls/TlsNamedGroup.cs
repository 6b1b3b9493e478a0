namespace RtcClient.Quic.Tls;

/// <summary>Key exchange groups supported by this stack (RFC 8446 section 4.2.7).</summary>
public enum TlsNamedGroup : ushort
{
    /// <summary>secp256r1 (NIST P-256), uncompressed points.</summary>
    Secp256r1 = 0x0017,
    /// <summary>x25519 (RFC 7748).</summary>
    X25519 = 0x001D,
}
