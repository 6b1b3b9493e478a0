namespace RtcClient.Quic.Tls;

/// <summary>SignatureScheme codepoints used in CertificateVerify (RFC 8446 section 4.2.3).</summary>
internal enum TlsSignatureScheme : ushort
{
    /// <summary>ecdsa_secp256r1_sha256.</summary>
    EcdsaSecp256r1Sha256 = 0x0403,
    /// <summary>ecdsa_secp384r1_sha384.</summary>
    EcdsaSecp384r1Sha384 = 0x0503,
    /// <summary>rsa_pss_rsae_sha256.</summary>
    RsaPssRsaeSha256 = 0x0804,
    /// <summary>rsa_pss_rsae_sha384.</summary>
    RsaPssRsaeSha384 = 0x0805,
    /// <summary>rsa_pss_rsae_sha512.</summary>
    RsaPssRsaeSha512 = 0x0806,
}
